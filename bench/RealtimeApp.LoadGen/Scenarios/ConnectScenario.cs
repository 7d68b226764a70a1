using System.Diagnostics;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>connect-N</c>: a connect storm on a fresh server (after one warm-up connection): N × (TCP connect, WebSocket
/// upgrade, open packet, <c>40</c>, its reply), 200 in flight. Connections/s and connect time (start of the TCP
/// connect to the namespace reply; to the 101 on the ceiling).
/// </summary>
internal sealed class ConnectScenario(int clients) : FreshServerScenario
{
    private const int ReceiveBufferSize = 1024;

    public override string Name => $"connect-{clients}";

    public override IReadOnlyList<MetricDefinition> Metrics =>
    [
        new("connPerSec", "conn/s", "conn/s", HigherIsBetter: true),
        new("p99Us", "p99 connect µs", "µs", HigherIsBetter: false),
        new("serverCpuUsPerOp", "server CPU-µs/conn", "µs", HigherIsBetter: false),
    ];

    protected override async Task<Sample> MeasureAsync(RunContext context, ServerProcess server, int rep)
    {
        var kind = server.Kind;
        var target = new ClientTarget(server.EndPoint, kind.WebSocketPath(), kind.SpeaksEngineIo());
        using (var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        using (await WsConnection.ConnectAsync(target, ReceiveBufferSize, warmUp.Token))
        {
        }
        await Task.Delay(200); // let the server finish closing it

        var connectTimes = new LatencyHistogram();
        var before = server.Cpu();
        var started = Stopwatch.GetTimestamp();
        using var set = await Connector.ConnectAsync(target, clients, Connector.DefaultInFlight, ReceiveBufferSize,
            (_, _) => IgnoringSink.Instance, connectTimes);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = server.Cpu() - before;

        var sample = new Sample(kind, rep);
        sample.TakeCpu(cpu, set.Connected);
        sample.TakeMemory(server);
        sample.Metrics["connPerSec"] = set.Connected / elapsed.TotalSeconds;
        sample.Metrics["p50Us"] = connectTimes.PercentileMicroseconds(0.50);
        sample.Metrics["p99Us"] = connectTimes.PercentileMicroseconds(0.99);
        sample.Metrics["serverCpuUsPerOp"] = sample.ServerCpuUsPerOp ?? double.NaN;
        if (set.FailureNote is { } failures)
        {
            sample.Notes.Add(failures);
        }
        return sample;
    }
}
