using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// WebSocket-only sessions with a raw <see cref="ClientWebSocket"/> (engine.io-protocol v4 "WebSocket"): one
/// packet per frame, binary messages as raw binary frames, and how a session ends — client close,
/// dropped connection, a frame over the size limit, a frame that is not a packet.
/// </summary>
public sealed class RawWebSocketTests
{
    private const string Handshake = "EIO=4&transport=websocket";

    [Fact]
    public async Task Text_and_binary_frames_are_echoed_in_order_binary_as_raw_bytes()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        await ws.SendTextAsync("4hello");
        await ws.SendBinaryAsync([1, 2, 3, 255]);
        await ws.SendTextAsync("4\u20ac \U0001F600");
        await ws.SendTextAsync("4");
        await ws.SendBinaryAsync([]);

        Assert.Equal("text 4hello", (await ws.ReceiveAsync()).ToString());
        Assert.Equal("binary [1,2,3,255]", (await ws.ReceiveAsync()).ToString());
        Assert.Equal("text 4\u20ac \U0001F600", (await ws.ReceiveAsync()).ToString());
        Assert.Equal("text 4", (await ws.ReceiveAsync()).ToString());
        Assert.Equal("binary []", (await ws.ReceiveAsync()).ToString());
    }

    [Fact]
    public async Task A_message_split_over_several_fragments_is_one_packet()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        await ws.ReceiveTextAsync();

        var text = "4" + new string('f', 100_000);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += 7_000)
        {
            var end = Math.Min(bytes.Length, offset + 7_000);
            await ws.Socket.SendAsync(bytes.AsMemory(offset, end - offset), WebSocketMessageType.Text, end == bytes.Length, default);
        }

        Assert.Equal(text, await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Client_close_handshake_ends_the_session_with_transport_close()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());
        Assert.Equal(1, server.Server.SessionCount);

        var closing = ws.CloseAsync(); // sends a close frame, then waits for the server's

        Assert.Equal(EngineCloseReason.TransportClose, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await server.WaitForNoSessionsAsync();
        // RFC 6455 5.5.1: an endpoint that receives a Close frame must answer with a Close frame. Without
        // it ClientWebSocket throws "closed without completing the close handshake" (browsers report 1006).
        var handshake = await Record.ExceptionAsync(() => closing);
        Assert.True(handshake is null, $"the server did not complete the client's close handshake: {handshake?.Message}");
        Assert.Equal(WebSocketState.Closed, ws.Socket.State);
        await client.AssertUnknownSidAsync(sid);
    }

    [Fact]
    public async Task A_dropped_connection_ends_the_session()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var ws = await client.ConnectWebSocketAsync(Handshake);
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        ws.Socket.Abort(); // TCP gone, no close frame
        ws.Socket.Dispose();

        // digest 1.8 / Node: a WebSocket whose TCP connection is gone ends with "transport close".
        var (reason, description) = await server.Handler.WaitForCloseAsync(sid);
        Assert.True(reason == EngineCloseReason.TransportClose, $"closed with {reason} ({description})");
        await server.WaitForNoSessionsAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_message_over_MaxHttpBufferSize_closes_the_socket_with_1009_and_a_transport_error(bool binary)
    {
        await using var server = await RawTestServers.StartQuietAsync(o => o.MaxHttpBufferSize = 1000);
        using var client = new RawEngineClient(server.BaseAddress);
        await using var bystander = await client.ConnectWebSocketAsync(Handshake);
        await bystander.ReceiveTextAsync();
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        var open = await ws.ReceiveTextAsync();
        Assert.Contains("\"maxPayload\":1000}", open);
        var sid = RawEngineClient.SidOf(open);

        // Exactly at the limit is fine.
        var atLimit = "4" + new string('a', 999);
        await ws.SendTextAsync(atLimit);
        Assert.Equal(atLimit, await ws.ReceiveTextAsync());

        if (binary)
        {
            await ws.SendBinaryAsync(new byte[5000]);
        }
        else
        {
            await ws.SendTextAsync("4" + new string('a', 5000));
        }

        var (frames, close) = await ws.ReceiveUntilCloseAsync();
        Assert.Empty(frames);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.CloseStatus);
        Assert.Equal(EngineCloseReason.TransportError, (await server.Handler.WaitForCloseAsync(sid)).Reason);

        // Other sessions are untouched.
        await bystander.SendTextAsync("4fine");
        Assert.Equal("4fine", await bystander.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("9x")]
    public async Task A_text_frame_that_is_not_a_packet_closes_the_socket_with_a_parse_error(string frame)
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        await ws.SendTextAsync(frame);

        var (frames, close) = await ws.ReceiveUntilCloseAsync();
        Assert.Empty(frames);
        Assert.True(close.IsClose);
        Assert.Equal(EngineCloseReason.ParseError, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task A_client_ping_is_an_invalid_heartbeat_direction()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        await ws.SendTextAsync("2");

        var (reason, description) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportError, reason);
        Assert.Equal("invalid heartbeat direction", description);
        // The server ends the socket with a close frame, not by dropping the TCP connection.
        var frames = await Record.ExceptionAsync(async () => Assert.True((await ws.ReceiveUntilCloseAsync()).Close.IsClose));
        Assert.True(frames is null, $"no close frame from the server: {frames?.Message}");
    }
}
