using System.Diagnostics;
using System.Globalization;
using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>soak-churn-N</c>: N clients connecting and disconnecting continuously for the soak duration, with rooms,
/// emit-with-acks both ways, room broadcasts and every way of leaving (see <see cref="SoakClient"/>), on a fresh
/// server. Warm-up churn, then everyone leaves and the server drains to zero: after a forced GC that is the
/// baseline (RSS, GC heap, committed). Then the soak, everyone leaves, the server must drain to zero again, and
/// after the same forced GC its memory must be back near the baseline, with no error logged.
/// <para>
/// One measurement per server whatever <c>--reps</c> is (it is a soak, not a ratio); the ceiling has no sessions
/// to churn and is skipped.
/// </para>
/// </summary>
internal sealed class SoakScenario(SoakSettings settings) : Scenario
{
    /// <summary>
    /// RSS after (forced GC, everyone gone) may exceed the baseline (same) by at most this much. The baseline is
    /// taken after a warm-up with the same N, so pools, thread-pool threads, the sessions table and the GC's
    /// budgets have already grown to this load; what is left is allocator and GC retention noise (freed GC regions
    /// kept for reuse, glibc arenas), a few MB on a process of ~100 MB or more. A leak of ~20 bytes per connection
    /// over the ~10⁶ connections of a 10-minute 10k soak is already ~20 MB, so 20 % still catches real leaks while
    /// not flagging that noise. The managed heap, with no such retention, is held to the same 20 % with a 2 MB floor
    /// (its baseline is small).
    /// </summary>
    public const double MaxRssGrowthPercent = 20;

    private const double MaxHeapGrowthPercent = 20;
    private const long HeapGrowthFloorBytes = 2 << 20;

    /// <summary>Clients finish their cycle when the run stops; a silent one waits for the server's 45 s ping timeout.</summary>
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// After every client has left, the server must read zero within this: abandoned polling sessions close after
    /// pingInterval + pingTimeout (45 s), and an <c>ask</c> handler whose client left waits out its 5 s timeout.
    /// </summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(500);

    public override string Name => $"soak-churn-{settings.Clients}" + (settings.SignedIn ? "-signed-in" : "");

    public override IReadOnlyList<MetricDefinition> Metrics =>
    [
        new("rssChangePercent", "RSS after vs baseline % (after GC)", "%", HigherIsBetter: false, Target.OursAtMost(MaxRssGrowthPercent)),
        new("rssBaselineMb", "RSS baseline MB (after GC)", "MB", HigherIsBetter: false),
        new("rssAfterMb", "RSS after MB (after GC)", "MB", HigherIsBetter: false),
        new("rssLoadedMb", "RSS at the end of the load MB", "MB", HigherIsBetter: false),
        new("rssPeakMb", "RSS peak MB (VmHWM)", "MB", HigherIsBetter: false),
        new("heapBaselineMb", "GC heap baseline MB (after GC)", "MB", HigherIsBetter: false),
        new("heapAfterMb", "GC heap after MB (after GC)", "MB", HigherIsBetter: false),
        new("committedBaselineMb", "GC committed baseline MB", "MB", HigherIsBetter: false),
        new("committedAfterMb", "GC committed after MB", "MB", HigherIsBetter: false),
        new("sessionsEnd", "engine sessions at end", "sessions", HigherIsBetter: false, Target.OursEquals(0)),
        new("connectionsEnd", "connections at end", "connections", HigherIsBetter: false, Target.OursEquals(0)),
        new("socketsEnd", "sockets at end", "sockets", HigherIsBetter: false, Target.OursEquals(0)),
        new("roomsEnd", "rooms at end", "rooms", HigherIsBetter: false, Target.OursEquals(0)),
        new("pendingAcksEnd", "pending acks at end", "acks", HigherIsBetter: false, Target.OursEquals(0)),
        new("runningHandlersEnd", "running handlers at end", "handlers", HigherIsBetter: false, Target.OursEquals(0)),
        new("errorsLogged", "errors logged", "errors", HigherIsBetter: false, Target.OursEquals(0)),
        new("drainSeconds", "drain to zero s", "s", HigherIsBetter: false),
        new("connectsPerSec", "connects/s", "conn/s", HigherIsBetter: true),
        new("acksPerSec", "acks/s", "acks/s", HigherIsBetter: true),
        new("ackP99Us", "echo ack p99 µs", "µs", HigherIsBetter: false),
        new("connects", "connects", "connects", HigherIsBetter: true),
        new("failures", "client failures", "failures", HigherIsBetter: false, Target.OursEquals(0)),
        new("passed", "soak passed (1 = yes)", "", HigherIsBetter: true, Target.OursEquals(1)),
    ];

    public override async Task<List<Sample>> RunAsync(RunContext context)
    {
        var samples = new List<Sample>();
        foreach (var kind in context.Servers)
        {
            if (!kind.SpeaksEngineIo())
            {
                context.Log($"{Name}: skipped on {kind.Name()} (no Engine.IO sessions to churn)");
                continue;
            }
            if (settings.SignedIn && kind == ServerKind.Node)
            {
                context.Log($"{Name}: skipped on {kind.Name()} (the Node peer has no sign-in)");
                continue;
            }
            samples.Add(await GuardAsync(context, kind, 0, async () =>
            {
                using var server = await context.StartServerAsync(kind, settings.SignedIn ? ["--signed-in"] : []);
                return await MeasureAsync(context, server);
            }));
        }
        return samples;
    }

    private async Task<Sample> MeasureAsync(RunContext context, ServerProcess server)
    {
        var kind = server.Kind;
        var label = $"{Name} {kind.Name()}";
        var target = new ClientTarget(server.EndPoint, kind.WebSocketPath(), EngineIo: true);
        var fresh = await SettleAsync(server);
        context.Log($"{label}: fresh server {Describe(fresh)}; warm-up churn {settings.WarmUp.TotalSeconds:0} s");

        using var warmUp = await ChurnAsync(context, server, target, settings.WarmUp, label, progress: false);
        var warmDrain = await DrainAsync(server);
        var baseline = await SettleAsync(server);
        context.Log($"{label}: warm-up {warmUp.Summary()}; drained in {warmDrain.Seconds:0.0} s; baseline {Describe(baseline)}");

        using var soak = await ChurnAsync(context, server, target, settings.Duration, label, progress: true);
        var drain = await DrainAsync(server);
        var after = await SettleAsync(server);
        context.Log($"{label}: soak {soak.Summary()}; drained in {drain.Seconds:0.0} s; after {Describe(after)}");

        var sample = new Sample(kind, 0);
        sample.TakeCpu(soak.Cpu, soak.ConnectsInWindow);
        sample.TakeMemory(server);
        var metrics = sample.Metrics;
        metrics["clients"] = settings.Clients;
        metrics["durationSeconds"] = settings.Duration.TotalSeconds;
        metrics["warmUpSeconds"] = settings.WarmUp.TotalSeconds;

        metrics["rssFreshMb"] = Mb(fresh.RssKb);
        metrics["rssBaselineMb"] = Mb(baseline.RssKb);
        metrics["rssLoadedMb"] = Mb(soak.LoadedRssKb);
        metrics["rssAfterMb"] = Mb(after.RssKb);
        metrics["rssPeakMb"] = Mb(after.HwmKb);
        var rssChange = 100.0 * (after.RssKb - baseline.RssKb) / baseline.RssKb;
        metrics["rssChangePercent"] = rssChange;
        var heapBaseline = baseline.Stats.GcHeapBytes ?? baseline.Stats.Heap;
        var heapAfter = after.Stats.GcHeapBytes ?? after.Stats.Heap;
        metrics["heapFreshMb"] = MbOfBytes(fresh.Stats.GcHeapBytes ?? fresh.Stats.Heap);
        metrics["heapBaselineMb"] = MbOfBytes(heapBaseline);
        metrics["heapLoadedMb"] = MbOfBytes(soak.LoadedStats.GcHeapBytes ?? soak.LoadedStats.Heap);
        metrics["heapAfterMb"] = MbOfBytes(heapAfter);
        metrics["heapChangePercent"] = 100.0 * (heapAfter - heapBaseline) / heapBaseline;
        metrics["heapGrowthBytesPerConnect"] = soak.Run[SoakCount.Connects] > 0
            ? (double)(heapAfter - heapBaseline) / soak.Run[SoakCount.Connects]
            : double.NaN;
        metrics["committedBaselineMb"] = MbOfBytes(baseline.Stats.GcCommittedBytes);
        metrics["committedAfterMb"] = MbOfBytes(after.Stats.GcCommittedBytes);

        var end = after.Stats;
        metrics["sessionsEnd"] = Value(end.EngineSessions ?? end.Sessions);
        metrics["connectionsEnd"] = Value(end.Connections);
        metrics["socketsEnd"] = Value(end.Sockets);
        metrics["roomsEnd"] = Value(end.Rooms);
        metrics["pendingAcksEnd"] = Value(end.PendingAcks);
        metrics["runningHandlersEnd"] = Value(end.RunningHandlers);
        metrics["errorsLogged"] = Value(end.ErrorsLogged);
        metrics["warningsLogged"] = Value(end.WarningsLogged);
        metrics["refusedHandshakes"] = Value(end.RefusedHandshakes);
        metrics["rateLimitedEvents"] = Value(end.RateLimitedEvents);
        metrics["limitRefusals"] = Value(end.LimitRefusals);
        metrics["namespaces"] = Value(end.Namespaces);
        metrics["drainSeconds"] = drain.Seconds;
        metrics["warmUpDrainSeconds"] = warmDrain.Seconds;

        var seconds = soak.Cpu.Seconds;
        metrics["connectsPerSec"] = soak.ConnectsInWindow / seconds;
        metrics["acksPerSec"] = soak.AcksInWindow / seconds;
        metrics["ackP50Us"] = soak.Run.AckLatency.PercentileMicroseconds(0.50);
        metrics["ackP99Us"] = soak.Run.AckLatency.PercentileMicroseconds(0.99);
        metrics["ackP999Us"] = soak.Run.AckLatency.PercentileMicroseconds(0.999);
        metrics["connectP99Us"] = soak.Run.ConnectLatency.PercentileMicroseconds(0.99);
        foreach (var (key, value) in soak.Run.Counts())
        {
            metrics[key] = value;
        }
        metrics["failures"] = soak.Run.Failures;
        foreach (var counter in soak.Run.FailureCounters)
        {
            if (counter.Note is { } note)
            {
                sample.Notes.Add($"soak: {note}");
            }
        }
        foreach (var counter in warmUp.Run.FailureCounters)
        {
            if (counter.Note is { } note)
            {
                sample.Notes.Add($"warm-up: {note}");
            }
        }
        metrics["warmUpFailures"] = warmUp.Run.Failures;
        if (soak.Stragglers > 0)
        {
            sample.Notes.Add($"{soak.Stragglers} clients had not left {LeaveTimeout.TotalSeconds:0} s after the stop (reset)");
        }

        var verdict = new List<string>();
        if (!warmDrain.Drained)
        {
            verdict.Add($"after the warm-up the server did not drain to zero in {DrainTimeout.TotalSeconds:0} s ({Counters(warmDrain.Stats)})");
        }
        if (!drain.Drained)
        {
            verdict.Add($"left at the end, {DrainTimeout.TotalSeconds:0} s after the last client: {Counters(drain.Stats)}");
        }
        else if (Counters(end) is { Length: > 0 } late)
        {
            verdict.Add($"after the final GC: {late}");
        }
        if (end.ErrorsLogged is > 0 and var errors)
        {
            verdict.Add($"{errors} errors logged (last: {string.Join(" | ", end.LastErrors ?? [])})");
        }
        if (rssChange > MaxRssGrowthPercent)
        {
            verdict.Add($"RSS after GC {Mb(after.RssKb):0.0} MB is {rssChange:0.0} % above the baseline {Mb(baseline.RssKb):0.0} MB (limit {MaxRssGrowthPercent:0} %)");
        }
        if (heapAfter - heapBaseline > Math.Max(HeapGrowthFloorBytes, heapBaseline * MaxHeapGrowthPercent / 100))
        {
            verdict.Add($"GC heap after GC {MbOfBytes(heapAfter):0.0} MB vs baseline {MbOfBytes(heapBaseline):0.0} MB (limit +{MaxHeapGrowthPercent:0} %, at least 2 MB)");
        }
        metrics["passed"] = verdict.Count == 0 ? 1 : 0;
        sample.Notes.InsertRange(0, verdict.Select(reason => $"FAIL: {reason}"));
        return sample;
    }

    /// <summary>
    /// N clients churning for <paramref name="duration"/>, then the stop: every client finishes its cycle and
    /// leaves. Rates count up to the stop; failures count the leaving too.
    /// </summary>
    /// <summary>Bearer tokens from our host's <c>/token</c>: one user per four client slots.</summary>
    private static async Task<string[]> SignInAsync(ClientTarget target, int clients)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{target.HostHeader}/") };
        var tokens = new string[Math.Max(1, clients / 4)];
        for (var i = 0; i < tokens.Length; i++)
        {
            using var response = await http.PostAsync($"token?user=user-{i}", null);
            response.EnsureSuccessStatusCode();
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            tokens[i] = json.RootElement.GetProperty("accessToken").GetString()!;
        }
        return tokens;
    }

    private async Task<ChurnResult> ChurnAsync(RunContext context, ServerProcess server, ClientTarget target,
        TimeSpan duration, string label, bool progress)
    {
        var run = new SoakRun(target, settings.Clients, settings.SignedIn ? await SignInAsync(target, settings.Clients) : null);
        var clients = Enumerable.Range(0, settings.Clients).Select(_ => new SoakClient(run)).ToArray();
        var start = server.Cpu();
        var loops = clients.Select(client => client.RunAsync()).ToArray();

        var interval = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 10, 10, 60));
        var last = start;
        long lastConnects = 0, lastAcks = 0;
        while (Stopwatch.GetElapsedTime(start.Timestamp) is var elapsed && elapsed < duration)
        {
            var wait = duration - elapsed;
            await Task.Delay(progress && wait > interval ? interval : wait);
            if (!progress || Stopwatch.GetElapsedTime(start.Timestamp) >= duration)
            {
                continue;
            }
            var now = server.Cpu();
            var window = now - last;
            long connects = run[SoakCount.Connects], acks = run[SoakCount.Acks];
            var stats = await server.StatsAsync();
            context.Log($"{label} {Stopwatch.GetElapsedTime(start.Timestamp).TotalSeconds:0}/{duration.TotalSeconds:0} s: " +
                        $"{(connects - lastConnects) / window.Seconds:#,0} conn/s, {(acks - lastAcks) / window.Seconds:#,0} acks/s, " +
                        $"failures {run.Failures}; server {window.ServerPercent:0}% CPU, generator {window.GeneratorPercent:0}%, " +
                        $"{Counters(stats, zeros: true)}, RSS {Mb(server.Memory().RssKb):0} MB, GC heap {MbOfBytes(stats.GcHeapBytes ?? stats.Heap):0} MB");
            (last, lastConnects, lastAcks) = (now, connects, acks);
        }

        var cpu = server.Cpu() - start;
        var connectsInWindow = run[SoakCount.Connects];
        var acksInWindow = run[SoakCount.Acks];
        var loadedStats = await server.StatsAsync();
        var loadedRssKb = server.Memory().RssKb;
        run.Stop();

        var all = Task.WhenAll(loops);
        await all.WaitAsync(LeaveTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var stragglers = loops.Count(loop => !loop.IsCompleted);
        if (stragglers > 0)
        {
            foreach (var client in clients)
            {
                client.Abort();
            }
            await all.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await SocketThread.Leave();
        return new ChurnResult(run, cpu, connectsInWindow, acksInWindow, loadedStats, loadedRssKb, stragglers);
    }

    /// <summary>Reads /stats until every session counter is zero, or <see cref="DrainTimeout"/>.</summary>
    private static async Task<DrainResult> DrainAsync(ServerProcess server)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var stats = await server.StatsAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (Counters(stats).Length == 0)
            {
                return new DrainResult(stats, elapsed.TotalSeconds, Drained: true);
            }
            if (elapsed >= DrainTimeout)
            {
                return new DrainResult(stats, elapsed.TotalSeconds, Drained: false);
            }
            await Task.Delay(DrainPoll);
        }
    }

    /// <summary>
    /// Two aggressive full GCs a second apart (compacting, and decommitting the regions the GC would otherwise keep
    /// for reuse, so RSS is what the process holds), then /stats and the process's RSS.
    /// </summary>
    private static async Task<MemoryReading> SettleAsync(ServerProcess server)
    {
        await server.CollectGarbageAsync(aggressive: true);
        await Task.Delay(1000);
        await server.CollectGarbageAsync(aggressive: true);
        var stats = await server.StatsAsync();
        var (rssKb, hwmKb) = server.Memory();
        return new MemoryReading(stats, rssKb, hwmKb);
    }

    /// <summary>The session counters that are not zero ("" when none is), or all of them with <paramref name="zeros"/>.</summary>
    private static string Counters(ServerStats stats, bool zeros = false)
    {
        (string Name, long? Value)[] counters =
        [
            ("sessions", stats.EngineSessions ?? stats.Sessions),
            ("connections", stats.Connections),
            ("sockets", stats.Sockets),
            ("rooms", stats.Rooms),
            ("pendingAcks", stats.PendingAcks),
            ("runningHandlers", stats.RunningHandlers),
        ];
        return string.Join(", ", counters
            .Where(counter => counter.Value is { } value && (zeros || value != 0))
            .Select(counter => $"{counter.Name} {counter.Value!.Value.ToString("#,0", CultureInfo.InvariantCulture)}"));
    }

    private static string Describe(MemoryReading reading) =>
        $"RSS {Mb(reading.RssKb):0.0} MB, GC heap {MbOfBytes(reading.Stats.GcHeapBytes ?? reading.Stats.Heap):0.0} MB, " +
        $"committed {MbOfBytes(reading.Stats.GcCommittedBytes):0.0} MB" +
        (reading.Stats.ErrorsLogged is { } errors ? $", errors logged {errors}" : "");

    private static double Mb(long kb) => kb / 1024.0;

    private static double MbOfBytes(long? bytes) => bytes is { } b ? b / (1024.0 * 1024.0) : double.NaN;

    private static double Value(long? value) => value is { } v ? v : double.NaN;

    private sealed record MemoryReading(ServerStats Stats, long RssKb, long HwmKb);

    private sealed record DrainResult(ServerStats Stats, double Seconds, bool Drained);

    private sealed record ChurnResult(SoakRun Run, CpuWindow Cpu, long ConnectsInWindow, long AcksInWindow,
        ServerStats LoadedStats, long LoadedRssKb, int Stragglers) : IDisposable
    {
        public string Summary() =>
            $"{ConnectsInWindow / Cpu.Seconds:#,0} conn/s, {AcksInWindow / Cpu.Seconds:#,0} acks/s, " +
            $"{Run[SoakCount.Connects]:#,0} connects, {Run.Failures} failures (server {Cpu.ServerPercent:0}% CPU, generator {Cpu.GeneratorPercent:0}%)";

        public void Dispose() => Run.Dispose();
    }
}
