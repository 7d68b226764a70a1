using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>ack-cC</c> (depth 1: send, wait for the ack, repeat) and <c>ack-pipelined-cCxB</c> (B emits per send, wait
/// for all B acks): acks/s, ack latency, server CPU-µs per ack. All clients connect first, then all start.
/// </summary>
internal sealed class AckScenario(int clients, int burst, WireParser parser = WireParser.Json) : ReusedServerScenario
{
    // Acks are small, but a busy connection reads big: fewer, fuller reads.
    private const int ReceiveBufferSize = 16 * 1024;

    public override string Name =>
        (burst == 1 ? $"ack-c{clients}" : $"ack-pipelined-c{clients}x{burst}") + parser.NameSuffix();

    public override WireParser Parser => parser;

    public override IReadOnlyList<MetricDefinition> Metrics => burst == 1
        ?
        [
            new("acksPerSec", "acks/s", "acks/s", HigherIsBetter: true),
            new("p50Us", "p50 µs", "µs", HigherIsBetter: false),
            new("p99Us", "p99 µs", "µs", HigherIsBetter: false, clients >= 1000 ? Target.RatioAtMost(0.5) : null),
            new("p999Us", "p99.9 µs", "µs", HigherIsBetter: false),
            new("serverCpuUsPerOp", "server CPU-µs/ack", "µs", HigherIsBetter: false),
        ]
        :
        [
            new("acksPerSec", "acks/s", "acks/s", HigherIsBetter: true, parser == WireParser.Json ? Target.RatioAtLeast(3) : null),
            new("serverCpuUsPerOp", "server CPU-µs/ack", "µs", HigherIsBetter: false),
            new("p99Us", "p99 µs", "µs", HigherIsBetter: false),
        ];

    protected override async Task<Sample> MeasureAsync(RunContext context, ServerProcess server, int rep)
    {
        var kind = server.Kind;
        var target = new ClientTarget(server.EndPoint, kind.WebSocketPath(), kind.SpeaksEngineIo(), parser);
        var run = new AckRun();
        var echoClients = new EchoClient[clients];
        using var set = await Connector.ConnectAsync(target, clients, Connector.DefaultInFlight, ReceiveBufferSize,
            (connection, index) => echoClients[index] = new EchoClient(connection, run, burst));
        var active = echoClients.Where(client => client is not null).ToArray();
        foreach (var client in active)
        {
            client.SendBurst();
        }

        var (cpu, acks) = await MeasurementWindow.RunAsync(server, burst == 1 ? context.Mode.Ack : context.Mode.PipelinedAck,
            () => active.Sum(client => client.Acks), () => run.Histogram = new());
        var histogram = run.Histogram;
        run.Stopping = true;

        var sample = Sample.FromWindow(kind, rep, cpu, server, acks, "acksPerSec", histogram);
        sample.Metrics["clients"] = active.Length;
        if (set.FailureNote is { } failures)
        {
            sample.Notes.Add(failures);
        }
        if (run.Losses.Note is { } losses)
        {
            sample.Notes.Add(losses);
        }
        if (run.Errors > 0)
        {
            sample.Notes.Add($"{run.Errors} acks out of order or unparsable");
        }
        return sample;
    }
}
