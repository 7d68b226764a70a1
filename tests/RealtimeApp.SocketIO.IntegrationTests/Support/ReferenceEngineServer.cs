using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// Node's engine.io (the version pinned in tests/js/package.json) as an echo server on 127.0.0.1, run by
/// <c>tests/js/reference-engine-server.mjs</c>: the reference that differential tests compare ours to. The
/// script prints <c>{"port":N}</c> first, then one line per session close with Node's reason string and one
/// per GET on a session once engine.io has taken it.
/// </summary>
internal sealed class ReferenceEngineServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _reader;
    private readonly StringBuilder _errors = new();

    private ReferenceEngineServer(Process process, Uri baseAddress, Task reader)
    {
        _process = process;
        BaseAddress = baseAddress;
        _reader = reader;
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    /// <summary>Sessions Node closed, with its reason ("transport close", "parse error", ...).</summary>
    public ConcurrentQueue<(string Sid, string Reason)> Closed { get; } = new();

    private readonly Dictionary<string, int> _polls = new();

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static async Task<ReferenceEngineServer> StartAsync(int pingInterval = 300, int pingTimeout = 200)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeClient.ScriptsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(NodeClient.ScriptsDirectory, "reference-engine-server.mjs"));
        info.ArgumentList.Add(pingInterval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(pingTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (first is null)
            {
                var errors = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"reference-engine-server.mjs exited before listening: {errors}");
            }
            var port = JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32();
            ReferenceEngineServer? server = null;
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    var e = JsonDocument.Parse(line).RootElement;
                    if (e.GetProperty("event").GetString() == "close")
                    {
                        server!.Closed.Enqueue((e.GetProperty("sid").GetString()!, e.GetProperty("reason").GetString()!));
                    }
                    else if (e.GetProperty("event").GetString() == "poll")
                    {
                        var sid = e.GetProperty("sid").GetString()!;
                        lock (server!._polls)
                        {
                            server._polls[sid] = server._polls.GetValueOrDefault(sid) + 1;
                        }
                    }
                }
            });
            server = new ReferenceEngineServer(process, new Uri($"http://127.0.0.1:{port}/"), reader);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (server._errors)
                    {
                        server._errors.AppendLine(line);
                    }
                }
            };
            process.BeginErrorReadLine();
            return server;
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Waits until Node has closed <paramref name="sid"/> and returns its reason.</summary>
    public async Task<string> WaitForCloseAsync(string sid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var closed in Closed)
            {
                if (closed.Sid == sid)
                {
                    return closed.Reason;
                }
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"Node did not close session {sid}. stderr: {Errors}");
    }

    /// <summary>
    /// Waits until Node has taken a GET on <paramref name="sid"/> that no earlier call has waited for (each
    /// call consumes one): engine.io holds the poll by then.
    /// </summary>
    public async Task WaitForHeldPollAsync(string sid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            lock (_polls)
            {
                if (_polls.GetValueOrDefault(sid) > 0)
                {
                    _polls[sid]--;
                    return;
                }
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"Node did not take a GET for session {sid}. stderr: {Errors}");
    }

    public async ValueTask DisposeAsync()
    {
        // The script exits when its stdin closes; kill it (this process only) if it does not.
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }
}
