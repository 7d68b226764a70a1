using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>polling-handshake</c>: 64 keep-alive connections, each a closed loop of <c>GET
/// /socket.io/?EIO=4&amp;transport=polling</c> (the ceiling: Kestrel's <c>GET /plain</c>). Every handshake leaves a
/// session on the server for ~45 s, so each measurement gets a fresh server and the run stays ≤ 10 s.
/// </summary>
internal sealed class PollingScenario : FreshServerScenario
{
    private const int Connections = 64;

    public override string Name => "polling-handshake";

    public override IReadOnlyList<MetricDefinition> Metrics =>
    [
        new("handshakesPerSec", "handshakes/s", "handshakes/s", HigherIsBetter: true, Target.RatioAtLeast(2.5)),
        new("p99Us", "p99 µs", "µs", HigherIsBetter: false),
        new("serverCpuUsPerOp", "server CPU-µs/handshake", "µs", HigherIsBetter: false),
    ];

    protected override async Task<Sample> MeasureAsync(RunContext context, ServerProcess server, int rep)
    {
        var kind = server.Kind;
        var run = new PollingRun();
        var clients = Enumerable.Range(0, Connections)
            .Select(_ => new PollingClient(server.EndPoint, kind.PollingPath(), kind.SpeaksEngineIo(), run))
            .ToArray();
        var loops = clients.Select(client => client.RunAsync()).ToArray();

        var (cpu, handshakes) = await MeasurementWindow.RunAsync(server, context.Mode.Polling,
            () => clients.Sum(client => client.Completed), () => run.Histogram = new());
        var histogram = run.Histogram;
        run.Stopping = true;
        foreach (var client in clients)
        {
            client.Stop();
        }
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10));
        await SocketThread.Leave();

        var sample = Sample.FromWindow(kind, rep, cpu, server, handshakes, "handshakesPerSec", histogram);
        if (run.Errors.Note is { } errors)
        {
            sample.Notes.Add(errors);
        }
        return sample;
    }
}
