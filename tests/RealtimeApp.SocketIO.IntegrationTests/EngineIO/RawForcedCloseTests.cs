using System.Net;
using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Server-initiated close (<c>session.Close()</c>, "forced close"): what is queued is still delivered, then
/// the client learns about the close — a close packet at the end of a poll, or a WebSocket close frame —
/// and the session leaves the server's table.
/// </summary>
public sealed class RawForcedCloseTests
{
    [Fact]
    public async Task Polling_a_pending_get_is_answered_with_a_close_packet()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var pending = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)
        Assert.False(pending.IsCompleted);
        server.Session(sid).Close();

        var released = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("1", released.Body);
        Assert.Equal(EngineCloseReason.ForcedClose, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await client.AssertUnknownSidAsync(sid);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task Polling_queued_packets_come_first_then_the_close_packet_in_a_poll_of_its_own()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        await client.PostOkAsync(sid, "4x"); // the echo is queued: no GET is pending
        var session = server.Session(sid);
        Assert.True(session.Send(EnginePacket.Binary(new byte[] { 1, 2, 3 })));
        session.Close();
        Assert.False(session.IsOpen);
        Assert.False(session.Send(EnginePacket.Message("too late")), "Send after Close must refuse");

        // As Node: never the close in the same payload as the packets before it (a client acts on the
        // close first and would lose them); the poll after the drain gets a noop and the close.
        Assert.Equal(RawEngineClient.Show("4x\u001ebAQID"), RawEngineClient.Show(await client.PollAsync(sid)));
        Assert.Equal(RawEngineClient.Show("6\u001e1"), RawEngineClient.Show(await client.PollAsync(sid)));
        Assert.Equal(EngineCloseReason.ForcedClose, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await client.AssertUnknownSidAsync(sid);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task Polling_a_client_that_never_polls_again_is_forgotten_after_the_close_timeout()
    {
        await using var server = await RawTestServers.StartQuietAsync(o => o.CloseTimeout = TimeSpan.FromMilliseconds(300));
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        server.Session(sid).Send(EnginePacket.Message("never collected"));
        server.Session(sid).Close();

        Assert.Equal(EngineCloseReason.ForcedClose, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await server.WaitForNoSessionsAsync(TimeSpan.FromSeconds(5));
        await client.AssertUnknownSidAsync(sid);
    }

    [Fact]
    public async Task WebSocket_queued_frames_are_delivered_then_a_close_frame()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        var session = server.Session(sid);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(session.Send(EnginePacket.Message($"m{i}")));
        }
        Assert.True(session.Send(EnginePacket.Binary(new byte[] { 9, 8, 7 })));
        session.Close();

        var (frames, close) = await ws.ReceiveUntilCloseAsync();
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"text 4m{i}").Append("binary [9,8,7]"),
            frames.Select(f => f.ToString()));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close.CloseStatus);
        Assert.Equal(EngineCloseReason.ForcedClose, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task CloseAll_closes_polling_and_websocket_sessions_alike()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (pollingSid, _) = await client.HandshakeAsync();
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var wsSid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());
        Assert.Equal(2, server.Server.SessionCount);

        server.Server.CloseAll();

        // No poll was waiting: the close is deferred to the next one, which gets a noop and the close (Node).
        Assert.Equal("6\u001e1", await client.PollAsync(pollingSid));
        var (frames, close) = await ws.ReceiveUntilCloseAsync();
        Assert.Empty(frames);
        Assert.True(close.IsClose);
        Assert.Equal(EngineCloseReason.ForcedClose, (await server.Handler.WaitForCloseAsync(pollingSid)).Reason);
        Assert.Equal(EngineCloseReason.ForcedClose, (await server.Handler.WaitForCloseAsync(wsSid)).Reason);
        await server.WaitForNoSessionsAsync();
    }
}
