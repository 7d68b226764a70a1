using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// The conformance host (tests/RealtimeApp.ConformanceHost) started as its own process on a free port,
/// exactly as a user runs it, so tests check that program rather than a copy of its handlers.
/// </summary>
internal sealed partial class ConformanceHostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ConformanceHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri WebSocketUrl => new($"ws://{BaseAddress.Authority}/socket.io/?EIO=4&transport=websocket");

    /// <summary>How long the last start took from <c>Process.Start</c> to Kestrel's "Now listening on" line.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The host's resident set (VmRSS of /proc/pid/status), in bytes.</summary>
    public long ResidentBytes() =>
        File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? long.Parse(kb) * 1024 : 0;

    /// <param name="configuration">Extra command-line configuration, e.g. <c>--SocketIO:AllowEIO3=true</c>.</param>
    public static Task<ConformanceHostProcess> StartAsync(params string[] configuration) =>
        StartExecutableAsync(nativeExecutable: null, configuration);

    /// <summary>Starts the JIT build (<c>dotnet RealtimeApp.ConformanceHost.dll</c>) or, given one, a NativeAOT executable.</summary>
    public static async Task<ConformanceHostProcess> StartExecutableAsync(string? nativeExecutable, params string[] configuration)
    {
        var directory = nativeExecutable is null
            ? typeof(ConformanceHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "ConformanceHostDirectory").Value!
            : Path.GetDirectoryName(nativeExecutable)!;
        var info = new ProcessStartInfo(nativeExecutable ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (nativeExecutable is null)
        {
            info.ArgumentList.Add(Path.Combine(directory, "RealtimeApp.ConformanceHost.dll"));
        }
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        // Only the connect-timeout test needs the suite's 1 s (it passes it back in): on a loaded box a raw
        // client's CONNECT can take longer than that to be handled. Later arguments win.
        info.ArgumentList.Add("--SocketIO:ConnectTimeout=00:00:10");
        // Likewise the suite's 200 ms ping timeout on /socket.io (the /engine.io echo keeps it): a client's pong
        // can take longer than that to be handled on a loaded 2-core box, and a test about something else
        // would then see a ping timeout close instead.
        info.ArgumentList.Add("--SocketIO:PingTimeout=00:00:05");
        foreach (var argument in configuration)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        var started = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (ListeningOn().Match(line) is { Success: true } match)
            {
                // Keep draining stdout so the host never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                var host = new ConformanceHostProcess(process, new Uri(match.Groups["url"].Value + "/")) { StartupTime = started.Elapsed };
                try
                {
                    await host.WarmUpAsync(msgPack: configuration.Contains("--SocketIO:Parser=MsgPack"));
                }
                catch
                {
                    await host.DisposeAsync(); // a host that never warmed up is killed, not left running
                    throw;
                }
                return host;
            }
        }
        throw new InvalidOperationException($"the conformance host exited ({process.ExitCode}) before listening");
    }

    /// <summary>
    /// A polling handshake and a WebSocket client that joins the main namespace first, so the JIT's first
    /// hundreds of ms land neither in a 300/200 ms heartbeat window nor in the 1 s connect timeout of the
    /// test's own client. A cold host on a busy box can miss that timeout itself: a few tries.
    /// </summary>
    private async Task WarmUpAsync(bool msgPack)
    {
        using var http = new HttpClient();
        await http.GetStringAsync(new Uri(BaseAddress, "/socket.io/?EIO=4&transport=polling"));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var client = await SocketIORawClient.OpenAsync(WebSocketUrl);
                if (msgPack)
                {
                    await client.SendBinaryAsync(MsgPackWire.Packet(0, "/"));
                    await MsgPackWire.ReceiveAsync(client);
                }
                else
                {
                    await client.ConnectNamespaceAsync();
                }
                return;
            }
            catch (Exception) when (attempt < 3)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
