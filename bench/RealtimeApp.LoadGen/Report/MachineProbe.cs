using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeApp.LoadGen.Measure;

namespace RealtimeApp.LoadGen.Report;

/// <summary>What the results need to say about the box: cores (all of them, not our affinity), load, versions.</summary>
internal static class MachineProbe
{
    public static MachineInfo Describe(double[] loadAverage)
    {
        var cpuInfo = File.ReadAllLines("/proc/cpuinfo");
        return new MachineInfo(
            Cores: cpuInfo.Count(line => line.StartsWith("processor", StringComparison.Ordinal)),
            CpuModel: cpuInfo.FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
            LoadAverage: loadAverage,
            Kernel: File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            Dotnet: RuntimeInformation.FrameworkDescription,
            DotnetSdk: Run("dotnet", "--version"),
            Node: Run("node", "--version"),
            ClockTicksPerSecond: ProcFs.ClockTicksPerSecond);
    }

    private static string? Run(string file, string argument)
    {
        try
        {
            var start = new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
