using System.Diagnostics;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.SocketIO;

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
        var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid).On("slow", async e =>
        {
            started.TrySetResult();
            await Task.Delay(400);
            e.Ack?.Send("done");
        });

        await client.SendTextAsync("""421["slow"]""");
        await started.Task.WaitAsync(SocketIOTestServer.Timeout);
        var stopping = server.DisposeAsync().AsTask();
        Assert.Equal("""42["shutdown","server shutting down"]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""422["message-with-ack","late"]""");
        var frames = (await client.ReceiveUntilClosedAsync()).Select(f => f.Text).ToList();
        await stopping;

        Assert.Equal(["""432[{"ok":false,"error":{"code":"shutting_down","message":"server shutting down"}}]""", """431["done"]"""], frames);
        Assert.Equal(DisconnectReason.ServerShuttingDown, server.DisconnectReasonOf(sid));
    }

    [Fact]
    public async Task A_handler_counts_as_running_from_its_dispatch_before_its_first_await()
    {
        // The stop begins while the handler is still in its synchronous part (it has not returned a Task
        // yet): the drain must already count it, so its ack goes out before the close. This failed every
        // time when handlers were counted only once they had returned a pending Task.
        var server = await SocketIOTestServer.StartAsync(configureEngine: e => e.DrainTimeout = TimeSpan.FromSeconds(10));
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
        var server = await SocketIOTestServer.StartAsync(configureEngine: e => e.DrainTimeout = TimeSpan.FromSeconds(10));
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
        var clock = Stopwatch.StartNew();
        await server.DisposeAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal(DisconnectReason.ServerShuttingDown, server.DisconnectReasonOf(sid));
    }
}
