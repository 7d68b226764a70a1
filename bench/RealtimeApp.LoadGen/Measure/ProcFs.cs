using System.Globalization;
using System.Runtime.InteropServices;

namespace RealtimeApp.LoadGen.Measure;

/// <summary>Reads what the benchmarks need from Linux /proc: a process's CPU ticks and memory, and the load average.</summary>
internal static partial class ProcFs
{
    private const int ScClockTicks = 2; // _SC_CLK_TCK on Linux

    /// <summary>Units of utime/stime in /proc/&lt;pid&gt;/stat (100 on this box).</summary>
    public static readonly long ClockTicksPerSecond = ReadClockTicks();

    /// <summary>utime + stime of the whole process (all threads), in clock ticks.</summary>
    public static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; fields after the last ')' are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (15) is fields[12].
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>VmRSS and VmHWM (peak RSS) in KiB.</summary>
    public static (long RssKb, long HwmKb) Memory(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = ParseKb(line);
            }
        }
        return (rss, hwm);
    }

    /// <summary>The 1, 5 and 15-minute load averages.</summary>
    public static double[] LoadAverage() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();

    private static long ParseKb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture); // "VmRSS:   1234 kB"

    private static long ReadClockTicks()
    {
        try
        {
            var ticks = Sysconf(ScClockTicks);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100; // the Linux default
        }
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long Sysconf(int name);
}
