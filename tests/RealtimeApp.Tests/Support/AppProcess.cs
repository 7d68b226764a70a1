using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// The app started as a child process (<c>dotnet RealtimeApp.dll ...</c>) with compact-JSON logs, so
/// tests read the very events an operator would see. Every stdout line is kept; CLEF lines are parsed.
/// </summary>
internal sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lineArrived = new(0);

    private AppProcess(Process process) => _process = process;

    public static AppProcess Start(string workingDirectory, string dll, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Nothing from the test runner's environment may choose the app's addresses.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        info.Environment["Logging__Format"] = "json";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.Exited += (_, _) => app._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Starts the built app from its own output folder (content root = that folder).</summary>
    public static AppProcess StartBuiltApp(params string[] args) =>
        Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"), args);

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Every stdout line that is a CLEF event, in output order.</summary>
    public IReadOnlyList<JsonElement> Events => [.. _lines.Select(TryParse).OfType<JsonElement>()];

    /// <summary>The startup-trace events (those with a <c>Phase</c> property), in output order.</summary>
    public IReadOnlyList<JsonElement> Phases => [.. Events.Where(e => e.TryGetProperty("Phase", out _))];

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue(line);
        _lineArrived.Release();
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the events seen so far.</summary>
    public async Task<T> WaitForAsync<T>(Func<AppProcess, T?> condition, string what, TimeSpan? timeout = null)
        where T : class
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (condition(this) is { } result)
            {
                return result;
            }
            if (_exited.Task.IsCompleted)
            {
                // Drain what the process wrote just before it exited (WaitForExit waits for the redirected
                // streams' end, not a 200 ms guess), then decide.
                _process.WaitForExit();
                if (condition(this) is { } late)
                {
                    return late;
                }
                throw new InvalidOperationException($"App exited ({ExitCode}) before {what}.\n{Dump()}");
            }
            try
            {
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(100), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.\n{Dump()}");
            }
        }
    }

    public Task<JsonElement[]> WaitForPhaseAsync(string phase, int count = 1) =>
        WaitForAsync(app =>
        {
            var found = app.Phases.Where(e => e.GetProperty("Phase").GetString() == phase).ToArray();
            return found.Length >= count ? found : null;
        }, $"{count} '{phase}' phase event(s)");

    /// <summary>Sends SIGTERM (what `docker stop` and systemd send) and waits for the exit.</summary>
    public async Task<int> TerminateAsync()
    {
        SendSigterm();
        return await WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and returns at once (to watch the process while it drains).</summary>
    public void SendSigterm()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL: the process dies at once, mid-write if it was writing (a crash, the OOM killer).</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill();
        return await WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _exited.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public string Dump() => string.Join('\n', _lines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static JsonElement? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private const int Sigterm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
