using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>bcast-N-dD</c>: N connected clients, one of which sends <c>bcast</c> with at most D broadcasts outstanding
/// (see <see cref="BroadcastRun"/>, measured by <see cref="BroadcastLoad"/>). Deliveries/s counts Socket.IO packets
/// received by all clients; the delay is receive time minus the stamp the sender embedded.
/// </summary>
internal sealed class BroadcastScenario(int clients, int depth, WireParser parser = WireParser.Json) : ReusedServerScenario
{
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
        using var load = await BroadcastLoad.StartAsync(_ => target, clients, depth);
        return await load.MeasureAsync(server.Cpu, context.Mode.Broadcast,
            (cpu, deliveries, histogram) => Sample.FromWindow(kind, rep, cpu, server, deliveries, "deliveriesPerSec", histogram));
    }
}
