using System.Diagnostics;
using System.Globalization;
using RealtimeApp.Shared;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// A real Redis Cluster of three masters and no replicas (Debian's <c>redis-server</c>, each node in a temporary
/// directory of its own, nothing persisted but its <c>nodes.conf</c>), made with <c>redis-cli --cluster create</c>
/// and ready once every node says <c>cluster_state:ok</c>. <see cref="StopNodeAsync"/> /
/// <see cref="StartNodeAgainAsync"/> kill one node and start it again on the same port with the same
/// <c>nodes.conf</c>, so it rejoins as the same master. Disposing kills the nodes and removes their directories.
/// </summary>
internal sealed class RedisClusterProcess : IAsyncDisposable
{
    private readonly Node[] _nodes;

    private sealed class Node(int port, int busPort, string directory)
    {
        public int Port { get; } = port;

        /// <summary>The cluster bus port, chosen free too (Redis would take <see cref="Port"/> + 10000 otherwise).</summary>
        public int BusPort { get; } = busPort;

        public string Directory { get; } = directory;

        public Process? Process { get; set; }
    }

    private RedisClusterProcess(Node[] nodes) => _nodes = nodes;

    public IReadOnlyList<int> Ports => [.. _nodes.Select(n => n.Port)];

    /// <summary>StackExchange.Redis connection string naming the three masters.</summary>
    public string Configuration => string.Join(",", _nodes.Select(n => $"127.0.0.1:{n.Port}"));

    /// <summary>node-redis URLs of the three masters, separated by commas (the cluster peer's argument).</summary>
    public string Urls => string.Join(",", _nodes.Select(n => $"redis://127.0.0.1:{n.Port}"));

    public static async Task<RedisClusterProcess> StartAsync()
    {
        var ports = new HashSet<int>();
        while (ports.Count < 6)
        {
            ports.Add(ChildProcesses.FreePort());
        }
        var free = ports.ToArray();
        var cluster = new RedisClusterProcess([.. Enumerable.Range(0, 3).Select(i =>
            new Node(free[i], free[i + 3], Directory.CreateTempSubdirectory("redis-cluster-").FullName))]);
        try
        {
            foreach (var node in cluster._nodes)
            {
                await StartAsync(node);
            }
            var (exitCode, output) = await RunCliAsync(["--cluster", "create", .. cluster._nodes.Select(n => $"127.0.0.1:{n.Port}"),
                "--cluster-replicas", "0", "--cluster-yes"]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({exitCode}): {output}");
            }
            await cluster.WaitUntilOkAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task StartAsync(Node node)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--port", node.Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", node.Directory, "--cluster-enabled", "yes",
            "--cluster-config-file", Path.Combine(node.Directory, $"nodes-{node.Port}.conf"),
            "--cluster-port", node.BusPort.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        node.Process = process;
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return;
            }
        }
        throw new InvalidOperationException($"redis-server (cluster node) did not start on port {node.Port}");
    }

    /// <summary>Kills the node <paramref name="index"/> (its <c>nodes.conf</c> stays).</summary>
    public async Task StopNodeAsync(int index)
    {
        var node = _nodes[index];
        if (node.Process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        node.Process?.Dispose();
        node.Process = null;
    }

    /// <summary>Starts the node <paramref name="index"/> again (same port, same <c>nodes.conf</c>) and waits until the cluster is ok.</summary>
    public async Task StartNodeAgainAsync(int index)
    {
        await StartAsync(_nodes[index]);
        await WaitUntilOkAsync();
    }

    /// <summary>The index of the master that serves the slot of <paramref name="key"/> (a channel name hashes the same way).</summary>
    public async Task<int> NodeServingAsync(string key)
    {
        var (_, slotText) = await RunCliAsync(["-p", _nodes[0].Port.ToString(CultureInfo.InvariantCulture), "cluster", "keyslot", key]);
        var slot = int.Parse(slotText.Trim(), CultureInfo.InvariantCulture);
        var (_, nodes) = await RunCliAsync(["-p", _nodes[0].Port.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"]);
        // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>
        foreach (var line in nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var port = int.Parse(fields[1].Split('@')[0].Split(':')[^1], CultureInfo.InvariantCulture);
            foreach (var range in fields.Skip(8).Where(f => !f.StartsWith('[')))
            {
                var bounds = range.Split('-');
                var (low, high) = (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
                if (slot >= low && slot <= high)
                {
                    return Array.FindIndex(_nodes, n => n.Port == port);
                }
            }
        }
        throw new InvalidOperationException($"no node serves slot {slot}: {nodes}");
    }

    private async Task WaitUntilOkAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var node in _nodes)
        {
            while (true)
            {
                var (_, info) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]);
                if (info.Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    break;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the cluster node on port {node.Port} did not reach cluster_state:ok: {info}");
                }
                await Task.Delay(100);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunCliAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            await StopNodeAsync(i);
            Directory.Delete(_nodes[i].Directory, recursive: true);
        }
    }
}
