using System.Diagnostics;
using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Limits;

/// <summary>
/// The drain at shutdown, with a raw client so every frame is seen: a handler still running when the stop
/// begins finishes and its ack reaches the client before the transport closes; an event arriving during
/// the drain is refused with "server shutting down"; a handler running past the drain timeout does not
/// hold the stop beyond it.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_running_handler_finishes_and_its_ack_goes_out_before_the_close_and_new_events_are_refused()
    {
        // The handler is held by the test, not by a delay: the refusal of the late event and the handler's
        // ack come in that order however slow the machine is.
        var server = await SocketIOTestServer.StartAsync(configure: o =>
        {
            o.ShutdownEvent = "shutdown";
            o.OnRefusal = RefusalAnswers.OkFalse; // the refusal reaches the app's hook, which answers the ack
        }, configureEngine: e => e.DrainTimeout = TimeSpan.FromSeconds(10));
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid).On("slow", async e =>
        {
            started.TrySetResult();
            await release.Task;
            e.Ack?.Send("done");
        });

        await client.SendTextAsync("""421["slow"]""");
        await started.Task.WaitAsync(SocketIOTestServer.Timeout);
        var stopping = server.DisposeAsync().AsTask();
        Assert.Equal("""42["shutdown","server shutting down"]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""422["message-with-ack","late"]""");
        Assert.Equal("""432[{"ok":false,"error":{"code":"shutting_down","message":"server shutting down"}}]""", await client.ReceiveTextAsync());
        release.SetResult();
        var frames = (await client.ReceiveUntilClosedAsync()).Select(f => f.Text).ToList();
        await stopping;

        Assert.Equal(["""431["done"]"""], frames);
        Assert.Equal(DisconnectReason.ServerShuttingDown, server.DisconnectReasonOf(sid));
    }

    [Fact]
    public async Task A_handler_counts_as_running_from_its_dispatch_before_its_first_await()
    {
        // The stop begins while the handler is still in its synchronous part (it has not returned a Task
        // yet): the drain must already count it, so its ack goes out before the close. This failed every
        // time when handlers were counted only once they had returned a pending Task.
        var server = await SocketIOTestServer.StartAsync(configure: o => o.ShutdownEvent = "shutdown", configureEngine: e => e.DrainTimeout = TimeSpan.FromSeconds(10));
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid).On("sync-then-async", async e =>
        {
            started.TrySetResult();
            // Still synchronous: hold here until the drain has begun, then yield for the first time.
            stopBegun.Task.Wait(SocketIOTestServer.Timeout);
            await Task.Yield();
            e.Ack?.Send("done");
        });

        await client.SendTextAsync("""421["sync-then-async"]""");
        await started.Task.WaitAsync(SocketIOTestServer.Timeout);
        var stopping = server.DisposeAsync().AsTask();
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.IsShuttingDown, "the drain to begin");
        stopBegun.SetResult();
        var frames = (await client.ReceiveUntilClosedAsync()).Select(f => f.Text).ToList();
        await stopping;

        Assert.Equal(["""42["shutdown","server shutting down"]""", """431["done"]"""], frames);
    }

    [Fact]
    public async Task Polling_sessions_with_no_request_in_flight_do_not_hold_the_stop()
    {
        // Two handshakes and no poll after them (curl, or a client that went away): nothing can deliver
        // their last packets, so the drain forgets them at once instead of waiting out its 10 s.
        var server = await SocketIOTestServer.StartAsync(configure: o => o.ShutdownEvent = "shutdown", configureEngine: e => e.DrainTimeout = TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        for (var i = 0; i < 2; i++)
        {
            var open = await http.GetStringAsync("socket.io/?EIO=4&transport=polling");
            Assert.StartsWith("0{", open);
        }
        Assert.Equal(2, server.Io.GetStatistics().EngineSessions);

        await server.DisposeAsync();

        // Before, they were still waiting for a poll when the host's 3 s shutdown timeout cut the drain.
        Assert.Equal(0, server.Io.GetStatistics().EngineSessions);
    }

    [Fact]
    public async Task A_polling_client_between_two_polls_at_the_close_still_gets_its_ack_and_the_close_packet()
    {
        // A live long-polling client has no request under way for a moment after each answer; the drain
        // must not take that moment for absence. Here the client is exactly there when the sessions close.
        var server = await SocketIOTestServer.StartAsync(configure: o => o.ShutdownEvent = "shutdown", configureEngine: e => e.DrainTimeout = TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = SocketIOTestServer.Timeout };
        var sid = JsonDocument.Parse((await http.GetStringAsync("socket.io/?EIO=4&transport=polling"))[1..]).RootElement.GetProperty("sid").GetString()!;
        var session = $"socket.io/?EIO=4&transport=polling&sid={sid}";
        (await http.PostAsync(session, new StringContent("40"))).EnsureSuccessStatusCode();
        var connected = await http.GetStringAsync(session);
        var socketId = JsonDocument.Parse(connected.Split('\u001e')[0][2..]).RootElement.GetProperty("sid").GetString()!;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(socketId).On("slow", async e =>
        {
            started.TrySetResult();
            await release.Task;
            e.Ack?.Send("done");
        });
        (await http.PostAsync(session, new StringContent("""421["slow"]"""))).EnsureSuccessStatusCode();
        await started.Task.WaitAsync(SocketIOTestServer.Timeout);

        var waiting = http.GetStringAsync(session);
        var stopping = server.DisposeAsync().AsTask();
        Assert.Equal("""42["shutdown","server shutting down"]""", await waiting);
        // Between two polls: the handler finishes, its ack is queued and the session is closed.
        release.SetResult();
        Assert.True(server.Io.Engine!.TryGetSession(sid, out var engineSession));
        await SocketIOTestServer.WaitUntilAsync(() => !engineSession.IsOpen, "the session to be closed");

        var last = (await http.GetStringAsync(session)).Split('\u001e').ToList();
        if (last[^1] != "1")
        {
            last.AddRange((await http.GetStringAsync(session)).Split('\u001e'));
        }
        await stopping;

        Assert.Equal("""431["done"]""", last[0]);
        Assert.Equal("1", last[^1]);
        Assert.Equal(0, server.Io.GetStatistics().EngineSessions);
    }

    [Fact]
    public async Task A_handler_running_past_the_drain_timeout_does_not_hold_the_stop()
    {
        var server = await SocketIOTestServer.StartAsync(); // DrainTimeout 1 s
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid).On("stuck", async _ =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30));
        });

        await client.SendTextAsync("""42["stuck"]""");
        await started.Task.WaitAsync(SocketIOTestServer.Timeout);
        // Read meanwhile, so the client answers the close frame and only the drain timeout is measured.
        var reading = client.ReceiveUntilClosedAsync();
        var clock = Stopwatch.StartNew();
        await server.DisposeAsync();
        await reading;

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal(DisconnectReason.ServerShuttingDown, server.DisconnectReasonOf(sid));
    }
}
