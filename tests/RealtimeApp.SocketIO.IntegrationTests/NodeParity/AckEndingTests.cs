using System.Diagnostics;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// How a server-side wait for an ack ends: Node's timeout (its message, a type of its own) and, where we do
/// better than Node (which waits the timeout out), at once when the socket disconnects.
/// </summary>
public sealed class AckEndingTests
{
    [Fact]
    public async Task An_unanswered_ack_times_out_with_Nodes_message_and_a_typed_exception()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();

        var socket = server.Socket(sid);
        var error = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() =>
            socket.EmitWithAckAsync("question", ["q"], TimeSpan.FromMilliseconds(200)));
        Assert.Equal("operation has timed out", error.Message);
        Assert.IsAssignableFrom<TimeoutException>(error);

        var broadcast = await Assert.ThrowsAsync<BroadcastAckTimeoutException>(() =>
            server.Io.Sockets.Timeout(TimeSpan.FromMilliseconds(200)).EmitWithAckAsync("question", "q"));
        Assert.IsAssignableFrom<SocketIOAckTimeoutException>(broadcast);
        Assert.Equal("operation has timed out", broadcast.Message);
    }

    [Theory]
    [InlineData("41", DisconnectReason.ClientNamespaceDisconnect)] // the client leaves the namespace
    [InlineData(null, DisconnectReason.TransportClose)] // the connection goes away
    public async Task A_socket_that_disconnects_ends_its_pending_acks_at_once(string? leave, DisconnectReason reason)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var socket = server.Socket(sid);

        var clock = Stopwatch.StartNew();
        var pending = socket.EmitWithAckAsync("question", ["q"], TimeSpan.FromSeconds(30));
        Assert.StartsWith("420[\"question\"", await client.ReceiveTextAsync());
        if (leave is not null)
        {
            await client.SendTextAsync(leave);
        }
        else
        {
            await client.DisposeAsync();
        }

        var error = await Assert.ThrowsAsync<SocketIODisconnectedException>(() => pending.WaitAsync(SocketIOTestServer.Timeout));
        Assert.Equal("socket has been disconnected", error.Message);
        Assert.Equal(reason, error.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"ended after {clock.Elapsed}, not at once");
        Assert.Equal(0, server.Io.GetStatistics().PendingAcks);
        // A socket already gone refuses a new wait at once, the same way.
        await Assert.ThrowsAsync<SocketIODisconnectedException>(() => socket.EmitWithAckAsync("question", ["q"], TimeSpan.FromSeconds(30)));
        await client.DisposeAsync();
    }
}
