using System.Diagnostics;
using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>bcast-N-dD</c>: N connected clients, one of which sends <c>bcast</c> with at most D broadcasts outstanding
/// (see <see cref="BroadcastRun"/>). Deliveries/s counts Socket.IO packets received by all clients; the delay is
/// receive time minus the stamp the sender embedded.
/// </summary>
internal sealed class BroadcastScenario(int clients, int depth, WireParser parser = WireParser.Json) : ReusedServerScenario
{
    // At most D frames of ~80 bytes (plus a ping) are ever in flight to a receiver; the sender reads acks too.
    private const int ReceiverBufferSize = 4 * 1024;

    public override string Name => $"bcast-{clients}-d{depth}{parser.NameSuffix()}";

    public override WireParser Parser => parser;

    public override IReadOnlyList<MetricDefinition> Metrics =>
    [
        new("deliveriesPerSec", "deliveries/s", "deliveries/s", HigherIsBetter: true, clients >= 5000 && parser == WireParser.Json ? Target.RatioAtLeast(3) : null),
        new("p99Us", "p99 delay µs", "µs", HigherIsBetter: false),
        new("serverCpuUsPerOp", "server CPU-µs/delivery", "µs", HigherIsBetter: false),
    ];

    protected override async Task<Sample> MeasureAsync(RunContext context, ServerProcess server, int rep)
    {
        var kind = server.Kind;
        var target = new ClientTarget(server.EndPoint, kind.WebSocketPath(), kind.SpeaksEngineIo(), parser);
        var receivers = new BroadcastReceiver[clients];
        var run = new BroadcastRun(clients, depth);
        using var set = await Connector.ConnectAsync(target, clients, Connector.DefaultInFlight, ReceiverBufferSize,
            (_, index) => receivers[index] = new BroadcastReceiver(run, isSender: index == 0));
        if (set.Failures > 0 || set.Connections[0] is not { } senderConnection)
        {
            // A missing receiver would never settle a broadcast: measure nothing rather than a stall.
            throw new InvalidOperationException(set.FailureNote ?? "no sender connection");
        }
        var sender = new BroadcastSender(senderConnection, run);
        run.Sender = sender;
        sender.Start();

        long broadcastsBefore = 0;
        var (cpu, deliveries) = await MeasurementWindow.RunAsync(server, context.Mode.Broadcast,
            () => receivers.Sum(receiver => receiver.Deliveries),
            () =>
            {
                run.Histogram = new();
                broadcastsBefore = sender.Settled;
            });
        var histogram = run.Histogram;
        var broadcasts = sender.Settled - broadcastsBefore;
        run.Stopping = true;
        // Let the outstanding broadcasts drain so the next measurement starts on a quiet server.
        var drainStart = Stopwatch.GetTimestamp();
        while (sender.Outstanding > 0 && Stopwatch.GetElapsedTime(drainStart) < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(20);
        }

        var sample = Sample.FromWindow(kind, rep, cpu, server, deliveries, "deliveriesPerSec", histogram);
        sample.Metrics["broadcastsPerSec"] = broadcasts / cpu.Seconds;
        if (run.Losses.Note is { } losses)
        {
            sample.Notes.Add(losses);
        }
        if (broadcasts == 0)
        {
            sample.Notes.Add("stalled: no broadcast settled in the window (a lost delivery or ack?)");
        }
        if (sender.Outstanding > 0)
        {
            sample.Notes.Add($"{sender.Outstanding} broadcasts never settled");
        }
        return sample;
    }
}
