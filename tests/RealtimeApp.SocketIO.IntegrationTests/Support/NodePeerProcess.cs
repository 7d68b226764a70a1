using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// A long-running Node script of <c>tests/js</c> driven by JSON commands on stdin, one JSON answer per
/// line on stdout (matched by <c>id</c>): for peers that must stay up while the test acts on both sides.
/// </summary>
internal sealed class NodePeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<JsonElement> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();
    private int _nextId;

    private NodePeerProcess(Process process) => _process = process;

    /// <summary>The "ready" line the script printed (e.g. its port).</summary>
    public JsonElement Ready { get; private set; }

    public static async Task<NodePeerProcess> StartAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeClient.ScriptsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(NodeClient.ScriptsDirectory, script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var peer = new NodePeerProcess(Process.Start(info)!);
        _ = peer.ReadAsync();
        _ = peer.ReadErrorsAsync();
        try
        {
            peer.Ready = await peer._ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await peer.DisposeAsync();
            throw new TimeoutException($"{script} did not get ready: {peer._errors}");
        }
        return peer;
    }

    /// <summary>Sends one command (an object with an <c>op</c>) and returns its answer; fails when it failed.</summary>
    public async Task<JsonElement> SendAsync(object command)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var json = JsonSerializer.SerializeToNode(command)!.AsObject();
        json["id"] = id;
        await _process.StandardInput.WriteLineAsync(json.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var result = await answer.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(result.GetProperty("ok").GetBoolean(), $"{json.ToJsonString()} failed: {result}");
        return result;
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var message = JsonDocument.Parse(line).RootElement.Clone();
            if (message.TryGetProperty("event", out var e) && e.GetString() == "ready")
            {
                _ready.TrySetResult(message);
            }
            else if (message.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var answer))
            {
                answer.TrySetResult(message);
            }
        }
    }

    private async Task ReadErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_errors)
            {
                _errors.AppendLine(line);
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
}
