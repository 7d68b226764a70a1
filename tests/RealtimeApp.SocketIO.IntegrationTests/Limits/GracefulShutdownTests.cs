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
