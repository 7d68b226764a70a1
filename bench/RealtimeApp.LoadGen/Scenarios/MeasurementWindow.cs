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
    public static Task<(CpuWindow Cpu, long Operations)> RunAsync(
        ServerProcess server, Phase phase, Func<long> countOperations, Action startWindow) =>
        RunAsync(server.Cpu, phase, countOperations, startWindow);

    /// <param name="cpu">The "server" side's CPU now (the cluster rows: both nodes and Redis together).</param>
    public static async Task<(CpuWindow Cpu, long Operations)> RunAsync(
        Func<CpuSnapshot> cpu, Phase phase, Func<long> countOperations, Action startWindow)
    {
        await Task.Delay(phase.WarmUp);
        var operationsBefore = countOperations();
        startWindow();
        var cpuBefore = cpu();
        await Task.Delay(phase.Window);
        var cpuAfter = cpu();
        var operations = countOperations() - operationsBefore;
        return (cpuAfter - cpuBefore, operations);
    }
}
