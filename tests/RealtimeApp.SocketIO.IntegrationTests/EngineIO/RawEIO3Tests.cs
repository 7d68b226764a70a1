using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Engine.IO v3 on the wire, raw: refused unless <see cref="EngineIOOptions.AllowEIO3"/> (as Node's
/// allowEIO3), then the v3 framings — length-prefixed text counted in UTF-16 units, the binary polling
/// framing, <c>b4</c> base64 for b64 clients, type-prefixed binary WebSocket frames — and the reversed
/// heartbeat (the engine.io-protocol v3 suite's cases: POST <c>1:2</c> → GET <c>1:3</c>, …).
/// </summary>
public sealed class RawEIO3Tests
{
    private static Task<EngineTestServer> StartAsync(bool quiet = true) => quiet
        ? RawTestServers.StartQuietAsync(o => o.AllowEIO3 = true)
        : EngineTestServer.StartAsync(o => o.AllowEIO3 = true);

    private static string V3(string packet) => $"{packet.Length}:{packet}"; // string.Length = UTF-16 units, as JS

    private static string Polling(string sid) => $"EIO=3&transport=polling&sid={sid}";

    [Fact]
    public async Task EIO3_is_refused_with_unsupported_protocol_version_unless_allowed()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        var polling = await client.GetAsync("EIO=3&transport=polling");
        Assert.Equal(HttpStatusCode.BadRequest, polling.Status);
        Assert.Equal(RawEngineClient.ErrorBody(5, "Unsupported protocol version"), polling.Body);
        Assert.Equal(HttpStatusCode.BadRequest, await client.RefusedWebSocketStatusAsync("EIO=3&transport=websocket"));
        Assert.Equal(0, server.Server.SessionCount);
    }

    [Fact]
    public async Task The_handshake_is_the_open_packet_length_prefixed()
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        var response = await client.GetAsync("EIO=3&transport=polling&t=N8hyd6w");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("text/plain; charset=UTF-8", response.ContentType);
        var colon = response.Body.IndexOf(':');
        var open = response.Body[(colon + 1)..];
        var sid = RawEngineClient.SidOf(open);
        Assert.Equal(V3(RawEngineClient.OpenPacket(sid, polling: true, 20_000, 20_000)), response.Body);
        Assert.Equal(3, server.Session(sid).Protocol);
    }

    [Fact]
    public async Task Text_packets_are_counted_in_UTF16_units_both_ways()
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await HandshakeAsync(client);

        // "€" is one unit (three bytes), "😀" two units (four bytes): the engine.io-parser v2 rules.
        var payload = V3("4hello") + V3("4€") + V3("4😀!");
        Assert.Equal("6:4hello2:4€4:4😀!", payload);
        await PostOkAsync(client, sid, payload);

        Assert.Equal(payload, await PollUntilAsync(client, sid, payload.Length));
    }

    [Fact]
    public async Task A_client_ping_is_answered_with_a_pong_and_the_server_never_pings()
    {
        // pingInterval 300, pingTimeout 2 s (not 200 ms): the requests below must reach the server before
        // the deadline, which a busy CI box cannot promise within 500 ms.
        await using var server = await EngineTestServer.StartAsync(o =>
        {
            o.AllowEIO3 = true;
            o.PingTimeout = TimeSpan.FromSeconds(2);
        });
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await HandshakeAsync(client);

        var clock = Stopwatch.StartNew(); // before the ping: the server's deadline runs from when it gets it
        await PostOkAsync(client, sid, "1:2");
        Assert.Equal("1:3", (await client.GetAsync(Polling(sid))).Body);

        // No client ping for pingInterval + pingTimeout (2.3 s): "ping timeout". Until then the poll
        // waits: a v3 server sends no ping of its own.
        var poll = await client.GetAsync(Polling(sid));
        Assert.Equal("1:1", poll.Body);
        Assert.True(clock.ElapsedMilliseconds >= 2280, $"closed after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(EngineCloseReason.PingTimeout, (await server.Handler.WaitForCloseAsync(sid)).Reason);
    }

    [Fact]
    public async Task A_pong_from_a_v3_client_is_the_wrong_heartbeat_direction()
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await HandshakeAsync(client);

        await PostOkAsync(client, sid, "1:3");

        var (reason, description) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportError, reason);
        Assert.Equal("invalid heartbeat direction", description);
    }

    [Fact]
    public async Task Binary_travels_in_the_binary_polling_framing_both_ways()
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await HandshakeAsync(client);

        // ["4hello", bytes 01 02 03 04] exactly as engine.io-parser 2.x encodes them.
        byte[] payload = [0x00, 0x06, 0xFF, .. "4hello"u8, 0x01, 0x05, 0xFF, 0x04, 0x01, 0x02, 0x03, 0x04];
        using (var post = new ByteArrayContent(payload))
        {
            post.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await client.Http.PostAsync(server.Url(Polling(sid)), post);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        var received = new List<byte>();
        while (received.Count < payload.Length)
        {
            using var poll = await client.Http.GetAsync(server.Url(Polling(sid)));
            Assert.Equal("application/octet-stream", poll.Content.Headers.ContentType?.MediaType);
            received.AddRange(await poll.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task A_b64_client_gets_binary_as_b4_base64_text()
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await HandshakeAsync(client, "&b64=1");

        await PostOkAsync(client, sid, V3("b4AQIDBA=="));

        var response = await client.GetAsync(Polling(sid));
        Assert.Equal("text/plain; charset=UTF-8", response.ContentType);
        Assert.Equal("10:b4AQIDBA==", response.Body);
    }

    [Theory]
    [InlineData("5:4hi")]      // longer than the body
    [InlineData("x:4hi")]      // not a length
    [InlineData("4hi")]        // no length at all
    [InlineData("2:4\U0001F600")] // 2 units would split the emoji's surrogate pair
    public async Task A_malformed_v3_payload_is_refused_and_closes_the_session(string payload)
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await HandshakeAsync(client);

        var response = await client.PostAsync(Polling(sid), payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(EngineCloseReason.ParseError, (await server.Handler.WaitForCloseAsync(sid)).Reason);
    }

    [Fact]
    public async Task WebSocket_binary_frames_carry_the_packet_type_byte()
    {
        await using var server = await StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        await using var socket = await client.ConnectWebSocketAsync("EIO=3&transport=websocket");
        var open = await socket.ReceiveTextAsync();
        Assert.StartsWith("0{", open);

        await socket.SendBinaryAsync([0x04, 0x01, 0x02, 0x03]);
        var echo = await socket.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal([0x04, 0x01, 0x02, 0x03], echo.Data);

        await socket.SendTextAsync("2");
        Assert.Equal("3", await socket.ReceiveTextAsync());
    }

    private static async Task<(string Sid, string Body)> HandshakeAsync(RawEngineClient client, string extra = "")
    {
        var response = await client.GetAsync("EIO=3&transport=polling" + extra);
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return (RawEngineClient.SidOf(response.Body[(response.Body.IndexOf(':') + 1)..]), response.Body);
    }

    private static async Task PostOkAsync(RawEngineClient client, string sid, string payload)
    {
        var response = await client.PostAsync(Polling(sid), payload);
        Assert.True(response.Status == HttpStatusCode.OK && response.Body == "ok", $"POST {payload} failed: {response}");
    }

    /// <summary>Polls until <paramref name="length"/> characters arrived (echoes may be split over polls).</summary>
    private static async Task<string> PollUntilAsync(RawEngineClient client, string sid, int length)
    {
        var received = new StringBuilder();
        while (received.Length < length)
        {
            received.Append((await client.GetAsync(Polling(sid))).Body);
        }
        return received.ToString();
    }
}
