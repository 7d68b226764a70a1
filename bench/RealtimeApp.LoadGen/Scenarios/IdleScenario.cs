using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>idle-N</c>: memory and heartbeat cost of N idle connections. A fresh server per measurement: baseline after
/// one warm-up connection, connect N (200 connects in flight), hold (answering pings), then RSS, heap and
/// sessions, then a forced GC and RSS again (see <see cref="IdleHold"/>).
/// <para>
/// Holds overlap when the generator can keep them all open at once (<see cref="RunBatchesAsync"/>): the servers are
/// connected one after the other, then each is measured once its own hold has lasted the full time. An idle server
/// does not notice the others, and this keeps the quick run under 3 minutes.
/// </para>
/// </summary>
internal sealed class IdleScenario(int clients) : Scenario
{
    /// <summary>Idle clients only ever read the handshake, the open packet and pings.</summary>
    public const int ReceiveBufferSize = 1024;

    /// <summary>Sockets this process may hold at once: the 20,000-file limit less room for pipes, HTTP and the runtime.</summary>
    private const int SocketBudget = 18_000;

    public int Clients { get; } = clients;

    public override string Name => $"idle-{Clients}";

    public override IReadOnlyList<MetricDefinition> Metrics =>
    [
        new("rssKbPerConn", "RSS KB/conn", "KB", HigherIsBetter: false, Target.RatioAtMost(0.5)),
        new("rssKbPerConnAfterGc", "RSS KB/conn after GC", "KB", HigherIsBetter: false),
        new("heapKbPerConn", "heap KB/conn after GC", "KB", HigherIsBetter: false),
        new("idleCpuPercent", "server CPU % idle", "%", HigherIsBetter: false),
        new("held", "clients held", "clients", HigherIsBetter: true, Clients >= 19_000 ? Target.OursEquals(Clients) : null),
    ];

    public override async Task<List<Sample>> RunAsync(RunContext context) =>
        (await RunBatchesAsync(context, [this]))[this];

    /// <summary>
    /// Runs several idle sizes together. Per repetition, the (size, server) measurements in order are packed into
    /// batches that fit the socket budget; a batch connects its servers one after the other and then measures each
    /// when its hold is over.
    /// </summary>
    public static async Task<Dictionary<IdleScenario, List<Sample>>> RunBatchesAsync(RunContext context, IReadOnlyList<IdleScenario> scenarios)
    {
        var samples = scenarios.ToDictionary(scenario => scenario, _ => new List<Sample>());
        for (var rep = 0; rep < context.Reps; rep++)
        {
            var units = scenarios.SelectMany(scenario => context.Servers.Select(kind => (Scenario: scenario, Kind: kind))).ToList();
            while (units.Count > 0)
            {
                var batch = new List<(IdleScenario Scenario, ServerKind Kind)>();
                var sockets = 0;
                while (units.Count > 0 && (batch.Count == 0 || sockets + IdleHold.LocalClients(units[0].Scenario.Clients) <= SocketBudget))
                {
                    sockets += IdleHold.LocalClients(units[0].Scenario.Clients);
                    batch.Add(units[0]);
                    units.RemoveAt(0);
                }

                var holds = new List<Task<IdleHold>>();
                foreach (var (scenario, kind) in batch)
                {
                    var hold = IdleHold.StartAsync(context, kind, scenario.Clients);
                    holds.Add(hold);
                    await Task.WhenAny(hold); // one server after the other; a failure surfaces when measured
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    var (scenario, kind) = batch[i];
                    var hold = holds[i];
                    var r = rep;
                    samples[scenario].Add(await scenario.GuardAsync(context, kind, rep, async () =>
                    {
                        using var started = await hold;
                        return await started.FinishAsync(context.Mode.IdleHold, r);
                    }));
                }
            }
        }
        return samples;
    }
}
