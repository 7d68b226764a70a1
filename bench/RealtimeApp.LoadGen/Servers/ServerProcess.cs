using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;
using RealtimeApp.Shared;

namespace RealtimeApp.LoadGen.Servers;

/// <summary>
/// One bench server process pinned to core 0 (<c>taskset -c 0</c>, which execs, so the pid is the server's),
/// started on a free port; knows its pid for /proc readings and talks to its <c>/stats</c> and <c>/gc</c>.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const int StderrLinesKept = 40;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Generator-only tuning that must not leak into the servers we measure.</summary>
    private static readonly string[] GeneratorOnlyEnvironment = ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"];

    private readonly Process _process;
    private readonly Queue<string> _stderr = new();

    private ServerProcess(ServerKind kind, Process process)
    {
        Kind = kind;
        _process = process;
    }

    public ServerKind Kind { get; }

    public int Port { get; private set; }

    public int Pid => _process.Id;

    /// <summary>The server's own ready line, e.g. <c>{"port":1234,"server":"node socket.io 4.8.4",...}</c>.</summary>
    public string ReadyLine { get; private set; } = "";

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public bool HasExited => _process.HasExited;

    private static string[] ParserArguments(WireParser parser) => parser == WireParser.MsgPack ? ["--msgpack"] : [];

    /// <param name="parser">The Socket.IO parser the server speaks (<c>--msgpack</c> for both servers).</param>
    /// <param name="hostArguments">More arguments for our host (e.g. <c>--signed-in</c>); the Node peer takes none.</param>
    public static Task<ServerProcess> StartAsync(ServerKind kind, RepoPaths paths, WireParser parser,
        params string[] hostArguments) =>
        StartAsync(kind, paths, parser, hostArguments, []);

    /// <summary>A node of the cluster rows: both servers take <c>--redis HOST:PORT --redis-mode MODE</c>.</summary>
    public static Task<ServerProcess> StartClusterNodeAsync(ServerKind kind, RepoPaths paths, string redisAddress,
        string redisMode) =>
        StartAsync(kind, paths, WireParser.Json, [], ["--redis", redisAddress, "--redis-mode", redisMode]);

    /// <param name="sharedArguments">Arguments for either server (after the parser's).</param>
    private static async Task<ServerProcess> StartAsync(ServerKind kind, RepoPaths paths, WireParser parser,
        string[] hostArguments, string[] sharedArguments)
    {
        var start = new ProcessStartInfo("taskset")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("0");
        if (kind == ServerKind.Node)
        {
            start.WorkingDirectory = paths.NodePeerDirectory;
            foreach (var argument in (string[])["node", "--expose-gc", paths.NodePeerScript, "0", .. ParserArguments(parser), .. sharedArguments])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            // Ours and the ceiling are the same host; the ceiling row only uses its raw Kestrel endpoints.
            start.WorkingDirectory = Path.GetDirectoryName(paths.BenchHostDll)!;
            foreach (var argument in (string[])[DotnetHost(), paths.BenchHostDll, "0", .. ParserArguments(parser), .. sharedArguments, .. hostArguments])
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var name in GeneratorOnlyEnvironment)
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {kind.Name()}");
        var server = new ServerProcess(kind, process);
        process.ErrorDataReceived += server.OnStderr;
        process.BeginErrorReadLine();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null)
            {
                // Let stderr's last lines arrive (e.g. the host's "cluster adapter: ..." line) before quoting them.
                try
                {
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (TimeoutException)
                {
                    // Closed stdout but still running: quote what is there.
                }
                throw new InvalidOperationException($"{kind.Name()} server exited before it was ready: {server.StderrTail()}");
            }
            server.ReadyLine = line;
            server.Port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
            // Keep draining stdout so a chatty server can never block on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>VmRSS / VmHWM of the server, KiB.</summary>
    public (long RssKb, long HwmKb) Memory() => ProcFs.Memory(Pid);

    public CpuSnapshot Cpu() => CpuSnapshot.Take(Pid);

    /// <summary><c>GET /stats</c>: managed heap (or V8 heapUsed) bytes and open Engine.IO sessions.</summary>
    public async Task<ServerStats> StatsAsync()
    {
        var stats = await Http.GetFromJsonAsync<ServerStats>($"http://127.0.0.1:{Port}/stats", JsonSerializerOptions.Web);
        await SocketThread.Leave();
        return stats ?? throw new InvalidDataException("empty /stats reply");
    }

    /// <summary>
    /// <c>GET /gc</c>: a full blocking GC in the server; returns the heap bytes left after it. With
    /// <paramref name="aggressive"/> our host also decommits the GC's free memory (Node's gc() is full either way).
    /// </summary>
    public async Task<long> CollectGarbageAsync(bool aggressive = false)
    {
        var reply = await Http.GetFromJsonAsync<ServerStats>(
            $"http://127.0.0.1:{Port}/gc{(aggressive ? "?aggressive=true" : "")}", JsonSerializerOptions.Web);
        await SocketThread.Leave();
        return reply?.Heap ?? throw new InvalidDataException("empty /gc reply");
    }

    public string StderrTail()
    {
        lock (_stderr)
        {
            return string.Join('\n', _stderr);
        }
    }

    public void Dispose() => ChildProcesses.KillAndDispose(_process);

    private void OnStderr(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }
        lock (_stderr)
        {
            _stderr.Enqueue(e.Data);
            while (_stderr.Count > StderrLinesKept)
            {
                _stderr.Dequeue();
            }
        }
    }

    /// <summary>The same dotnet host that runs the generator, so both use the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}

/// <summary>
/// The reply of <c>/stats</c> and <c>/gc</c> (heap only). <see cref="Heap"/> and <see cref="Sessions"/> come from
/// every server; the rest is what the soak reads: the C# host's <c>SocketIOServer.GetStatistics()</c>, memory and
/// logged-error counts, of which the Node peer has a subset (null where a server has no such number).
/// </summary>
internal sealed record ServerStats(
    long Heap,
    long? Sessions,
    long? EngineSessions = null,
    long? Connections = null,
    long? Sockets = null,
    long? Rooms = null,
    long? PendingAcks = null,
    long? RunningHandlers = null,
    long? RefusedHandshakes = null,
    long? RateLimitedEvents = null,
    long? LimitRefusals = null,
    long? Namespaces = null,
    long? RssBytes = null,
    long? GcHeapBytes = null,
    long? GcCommittedBytes = null,
    long? ErrorsLogged = null,
    long? WarningsLogged = null,
    string[]? LastErrors = null);
