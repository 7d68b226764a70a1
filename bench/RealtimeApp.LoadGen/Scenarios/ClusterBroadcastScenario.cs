using System.Diagnostics;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>cluster-MODE-2x-bcast-N-dD</c> (issue 20): <c>bcast-N-dD</c> on a cluster of two nodes of the same server joined
/// through one real <c>redis-server</c> with the adapter of MODE (<c>pubsub</c>, <c>sharded</c>, <c>streams</c>). The
/// N clients alternate between the nodes (client 0, the sender, is on node 1); a broadcast is outstanding until the
/// sender has its ack and every client on both nodes has it (<see cref="BroadcastRun"/>, measured by
/// <see cref="BroadcastLoad"/> as the single-node row).
/// Both nodes and Redis run on core 0, the generator on core 1; "server CPU" is the three processes together.
/// </summary>
/// <remarks>
/// Every measurement gets a fresh pair of nodes on an emptied Redis (<c>FLUSHALL</c>): our pub/sub adapter is wire
/// compatible with Node's, so two clusters must never share Redis at once, and a stream left by one run must not
/// feed the next. A node that does not start (ours in a mode the library does not build yet) makes a failed sample
/// carrying its error, and the run goes on.
/// </remarks>
internal sealed class ClusterBroadcastScenario(string mode, int clients, int depth) : Scenario
{
    public const int Nodes = 2;

    /// <summary>How long the nodes get to join each other (subscriptions, the stream reader) before the load.</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);

    public override string Name => $"cluster-{mode}-{Nodes}x-bcast-{clients}-d{depth}";

    public override IReadOnlyList<MetricDefinition> Metrics =>
    [
        new("deliveriesPerSec", "deliveries/s", "deliveries/s", HigherIsBetter: true),
        new("p99Us", "p99 delay µs", "µs", HigherIsBetter: false),
        new("serverCpuUsPerOp", "cluster CPU-µs/delivery", "µs", HigherIsBetter: false),
    ];

    public override async Task<List<Sample>> RunAsync(RunContext context)
    {
        var kinds = context.Servers.Where(kind => kind != ServerKind.Ceiling).ToArray();
        var samples = new List<Sample>();
        RedisProcess redis;
        try
        {
            redis = await RedisProcess.StartAsync();
        }
        catch (Exception e)
        {
            context.Log($"{Name}: redis-server did not start: {e.Message}");
            for (var rep = 0; rep < context.Reps; rep++)
            {
                samples.AddRange(kinds.Select(kind => Sample.FailedWith(kind, rep, e)));
            }
            return samples;
        }
        using (redis)
        {
            context.ReadyLines.TryAdd("redis", redis.VersionLine);
            for (var rep = 0; rep < context.Reps; rep++)
            {
                foreach (var kind in kinds)
                {
                    var r = rep;
                    samples.Add(await GuardAsync(context, kind, rep, () => MeasureAsync(context, redis, kind, r)));
                }
            }
        }
        return samples;
    }

    private async Task<Sample> MeasureAsync(RunContext context, RedisProcess redis, ServerKind kind, int rep)
    {
        if (redis.HasExited)
        {
            throw new InvalidOperationException("redis-server exited");
        }
        await redis.FlushAllAsync();
        await SocketThread.Leave();
        var nodes = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < Nodes; i++)
            {
                nodes.Add(await ServerProcess.StartClusterNodeAsync(kind, context.Paths, redis.Address, mode));
            }
            context.ReadyLines.TryAdd($"{kind.Name()} cluster {mode}", nodes[0].ReadyLine);
            var targets = nodes
                .Select(node => new ClientTarget(node.EndPoint, kind.WebSocketPath(), EngineIo: true, WireParser.Json))
                .ToArray();
            await WaitUntilJoinedAsync(targets);

            using var load = await BroadcastLoad.StartAsync(index => targets[index % Nodes], clients, depth);
            // The window's CPU is that of both nodes and Redis; each one's share goes to the JSON too.
            int[] pids = [.. nodes.Select(node => node.Pid), redis.Pid];
            var readings = new List<long[]>();
            CpuWindow window = default;
            var sample = await load.MeasureAsync(() =>
                {
                    var ticks = pids.Select(ProcFs.CpuTicks).ToArray();
                    readings.Add(ticks);
                    return new CpuSnapshot(Stopwatch.GetTimestamp(), ticks.Sum(), Process.GetCurrentProcess().TotalProcessorTime);
                },
                context.Mode.Broadcast,
                (cpu, deliveries, histogram) =>
                {
                    window = cpu;
                    return Sample.FromWindow(kind, rep, cpu, deliveries, "deliveriesPerSec", histogram);
                });
            foreach (var node in nodes)
            {
                var (rss, hwm) = node.Memory();
                sample.VmRssKb += rss;
                sample.VmHwmKb += hwm;
            }
            for (var i = 0; i < pids.Length; i++)
            {
                var name = i < nodes.Count ? $"node{i + 1}CpuPercent" : "redisCpuPercent";
                sample.Metrics[name] = 100.0 * (readings[^1][i] - readings[0][i]) / ProcFs.ClockTicksPerSecond / window.Seconds;
            }
            var (redisRss, _) = ProcFs.Memory(redis.Pid);
            sample.Metrics["redisRssKb"] = redisRss;
            foreach (var node in nodes.Where(node => node.HasExited))
            {
                sample.Notes.Add($"a node exited: {node.StderrTail()}");
            }
            return sample;
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    /// <summary>
    /// Until a broadcast made on node 1 reaches a client of node 2: each node has subscribed (or started reading the
    /// stream) and Redis carries the traffic. Broadcasts sent before that would never settle and stall the run.
    /// </summary>
    private static async Task WaitUntilJoinedAsync(ClientTarget[] targets)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var sender = await WsConnection.ConnectAsync(targets[0], BroadcastLoad.ReceiverBufferSize, timeout.Token);
        using var receiver = await WsConnection.ConnectAsync(targets[1], BroadcastLoad.ReceiverBufferSize, timeout.Token);
        await SocketThread.Leave();
        var probe = new ProbeSink();
        sender.Start(IgnoringSink.Instance);
        receiver.Start(probe);
        var frame = WsFrames.TextFrame("42[\"bcast\",\"probe\"]"u8);
        var started = Stopwatch.GetTimestamp();
        while (!probe.Seen.IsCompleted)
        {
            if (Stopwatch.GetElapsedTime(started) > JoinTimeout)
            {
                throw new TimeoutException($"a broadcast on node 1 did not reach node 2 within {JoinTimeout.TotalSeconds:0} s: the nodes never joined through Redis");
            }
            sender.Send(frame);
            await Task.WhenAny(probe.Seen, Task.Delay(200));
        }
    }

    private sealed class ProbeSink : PacketSink
    {
        private static readonly byte[] Probe = "42[\"b\",\"probe\"]"u8.ToArray();

        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void OnPacket(WsConnection connection, ReadOnlySpan<byte> packet, long receivedAt)
        {
            if (packet.SequenceEqual(Probe))
            {
                _seen.TrySetResult();
            }
        }
    }
}
