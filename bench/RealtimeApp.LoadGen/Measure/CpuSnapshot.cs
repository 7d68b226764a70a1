using System.Diagnostics;

namespace RealtimeApp.LoadGen.Measure;

/// <summary>
/// Server and generator CPU at one instant. Two snapshots bracket exactly a measurement window, so the server's
/// CPU-µs per operation stays comparable even when the generator is the bottleneck.
/// </summary>
internal readonly record struct CpuSnapshot(long Timestamp, long ServerTicks, TimeSpan GeneratorCpu)
{
    public static CpuSnapshot Take(int serverPid) =>
        new(Stopwatch.GetTimestamp(), ProcFs.CpuTicks(serverPid), Process.GetCurrentProcess().TotalProcessorTime);

    public static CpuWindow operator -(CpuSnapshot end, CpuSnapshot start) => new(
        Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds,
        (end.ServerTicks - start.ServerTicks) * 1e6 / ProcFs.ClockTicksPerSecond,
        (end.GeneratorCpu - start.GeneratorCpu).TotalMicroseconds);
}

/// <summary>CPU used over one window, in µs, by the server and by this generator process.</summary>
internal readonly record struct CpuWindow(double Seconds, double ServerCpuUs, double GeneratorCpuUs)
{
    /// <summary>At or above this share of its core the generator, not the server, may be what limits the result.</summary>
    public const double GeneratorBoundPercent = 90;

    public double ServerPercent => 100 * ServerCpuUs / (Seconds * 1e6);

    public double GeneratorPercent => 100 * GeneratorCpuUs / (Seconds * 1e6);

    public bool GeneratorBound => GeneratorPercent >= GeneratorBoundPercent;

    public double ServerUsPer(double operations) => operations > 0 ? ServerCpuUs / operations : double.NaN;
}
