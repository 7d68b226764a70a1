using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Scenarios;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen;

/// <summary>
/// The scenarios of a mode, in run order (perf-anchors Part C2). The cluster rows and the soak come last, in
/// <c>--full</c> or when <c>--only</c> names a prefix (the orchestrator then keeps what matches); the default quick set
/// stays short.
/// </summary>
internal static class ScenarioPlan
{
    public static IEnumerable<Scenario> For(RunOptions options)
    {
        var mode = options.Mode;
        foreach (var clients in mode.IdleCounts)
        {
            yield return new IdleScenario(clients);
        }
        yield return new AckScenario(clients: 64, burst: 1);
        yield return new AckScenario(clients: 1000, burst: 1);
        yield return new AckScenario(clients: 64, burst: 16);
        foreach (var clients in mode.BroadcastCounts)
        {
            foreach (var depth in mode.BroadcastDepths)
            {
                yield return new BroadcastScenario(clients, depth);
            }
        }
        // The msgpack parser's rows: the same pipelined acks and broadcast, both servers on socket.io-msgpack-parser.
        yield return new AckScenario(clients: 64, burst: 16, WireParser.MsgPack);
        yield return new BroadcastScenario(mode.BroadcastCounts[^1], mode.BroadcastDepths[^1], WireParser.MsgPack);
        yield return new ConnectScenario(mode.ConnectCount);
        yield return new PollingScenario();
        if (mode == ModeSettings.Full || options.Only.Length > 0)
        {
            // Two nodes through a real Redis, one row per adapter (issue 20); like the soak, not in the default
            // quick set, which must stay under 3 minutes.
            foreach (var clusterMode in (string[])["pubsub", "sharded", "streams"])
            {
                foreach (var clients in mode.ClusterCounts)
                {
                    foreach (var depth in mode.ClusterDepths)
                    {
                        yield return new ClusterBroadcastScenario(clusterMode, clients, depth);
                    }
                }
            }
            yield return new SoakScenario(options.Soak);
        }
    }
}
