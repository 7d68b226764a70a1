using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// Warm-up (JIT, tiered PGO, pools) and then the measurement window, bracketed by CPU snapshots of the server and
/// the generator and by counter snapshots, so rates and CPU-µs per operation cover exactly the same interval.
/// </summary>
internal static class MeasurementWindow
{
    public static async Task<(CpuWindow Cpu, long Operations)> RunAsync(
        ServerProcess server, Phase phase, Func<long> countOperations, Action startWindow)
    {
        await Task.Delay(phase.WarmUp);
        var operationsBefore = countOperations();
        startWindow();
        var cpuBefore = server.Cpu();
        await Task.Delay(phase.Window);
        var cpuAfter = server.Cpu();
        var operations = countOperations() - operationsBefore;
        return (cpuAfter - cpuBefore, operations);
    }
}
