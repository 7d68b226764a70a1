using System.Net;
using System.Net.WebSockets;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Differential (see <see cref="RawDifferentialPollingTests"/>): the same raw steps against ours and Node's
/// engine.io 6.6.12. This file: upgrades, malformed input, and how sessions end. Heartbeat far away
/// (20 s) so no ping lands in an asserted payload.
/// </summary>
public sealed class RawDifferentialSessionTests
{
    public static TheoryData<string> Targets => RawEngineTarget.Both;

    private static Task<RawEngineTarget> StartAsync(string target) =>
        RawEngineTarget.StartAsync(target, pingInterval: 20_000, pingTimeout: 20_000);

    private static string Upgrade(string sid) => $"EIO=4&transport=websocket&sid={sid}";

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Upgrade_probe_noop_switch_and_polling_becomes_a_transport_mismatch(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        var noop = await client.GetAsync(RawEngineClient.Polling(sid));
        Assert.Equal((HttpStatusCode.OK, "6"), (noop.Status, noop.Body));

        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4over ws");
        Assert.Equal("4over ws", await ws.ReceiveTextAsync());
        await ws.SendBinaryAsync([1, 2, 3]);
        Assert.Equal("binary [1,2,3]", (await ws.ReceiveAsync()).ToString());

        var get = await client.GetAsync(RawEngineClient.Polling(sid));
        Assert.Equal((HttpStatusCode.BadRequest, RawEngineClient.ErrorBody(3, "Bad request")), (get.Status, get.Body));
        var post = await client.PostAsync(RawEngineClient.Polling(sid), "4x");
        Assert.Equal((HttpStatusCode.BadRequest, RawEngineClient.ErrorBody(3, "Bad request")), (post.Status, post.Body));

        // A second WebSocket for the upgraded session is closed at once; the first still works.
        await using var second = await client.ConnectWebSocketAsync(Upgrade(sid));
        var (frames, close) = await second.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(frames);
        Assert.True(close.IsClose);
        await ws.SendTextAsync("4still");
        Assert.Equal("4still", await ws.ReceiveTextAsync());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_probing_websocket_sending_a_message_is_closed_and_polling_carries_on(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        await using (var ws = await client.ConnectWebSocketAsync(Upgrade(sid)))
        {
            await ws.SendTextAsync("2probe");
            Assert.Equal("3probe", await ws.ReceiveTextAsync());
            await ws.SendTextAsync("4nope");
            var (frames, close) = await ws.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
            Assert.Empty(frames);
            Assert.True(close.IsClose);
        }

        await client.PostOkAsync(sid, "4still polling");
        Assert.Equal("4still polling", await client.PollAsync(sid));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_poll_waiting_during_the_upgrade_gets_its_noop_at_the_100_ms_check_not_at_once(string target)
    {
        // Node's engine.io releases a waiting poll from a 100 ms interval started at the probe: a client
        // sees no extra engine packet in the first moments of an upgrade.
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();
        var pending = client.PollAsync(sid);
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);

        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        var afterProbe = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(40);
        Assert.False(pending.IsCompleted, "the waiting poll was answered before the first 100 ms check");

        Assert.Equal("6", await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.InRange(afterProbe.ElapsedMilliseconds, 40, 2_000);
    }

    public static TheoryData<string, string, string> MalformedPayloads()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var target in RawEngineTarget.Both)
        {
            data.Add(target, "abc", "");           // unknown packet type
            data.Add(target, "", "");              // empty payload
            data.Add(target, "4a\u001e", "4a");    // trailing separator, after a good packet
            data.Add(target, "4ok\u001e9bad", "4ok");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public async Task A_malformed_post_closes_the_session_with_parse_error(string target, string payload, string goodEcho)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();
        var pending = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)

        // The POST's own answer differs (ours 400, Node 200 "ok"): see the next test.
        await client.PostAsync(RawEngineClient.Polling(sid), payload);

        Assert.Equal("parse error", await server.WaitForCloseReasonAsync(sid));
        // The pending poll is released. Node delivers the good packets before the bad one, so its echo
        // reaches the poll first; ours refuses the payload whole (nothing of it reaches the application),
        // so the poll learns of the close. A deliberate difference.
        var released = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal(target == "node" && goodEcho.Length > 0 ? goodEcho : "1", released.Body);
        await client.AssertUnknownSidAsync(sid);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_malformed_post_closes_the_session_with_parse_error_on_both_and_only_ours_says_400(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "abc");

        // Deliberate difference: Node 6.6.12 decodes after answering and still says 200 "ok"; we answer
        // 400, which is what the official engine.io-protocol test suite expects of this request.
        var expected = target == "node"
            ? (HttpStatusCode.OK, "ok")
            : (HttpStatusCode.BadRequest, """{"code":3,"message":"Bad request"}""");
        Assert.Equal(expected, (post.Status, post.Body));
        Assert.Equal("parse error", await server.WaitForCloseReasonAsync(sid));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Invalid_base64_is_an_empty_message_to_node_and_a_parse_error_to_us(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "b!!!");

        if (target == "node")
        {
            // Node decodes base64 leniently (Buffer.from drops invalid characters): "b!!!" becomes an
            // empty binary message, echoed as "b", and the session stays open.
            Assert.Equal((HttpStatusCode.OK, "ok"), (post.Status, post.Body));
            var echo = await client.GetAsync(RawEngineClient.Polling(sid));
            Assert.Equal((HttpStatusCode.OK, "b"), (echo.Status, echo.Body));
            return;
        }

        // Deliberate difference: we do not guess at corrupt data; the session closes as for any
        // malformed packet, and nothing is delivered to the application.
        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal("parse error", await server.WaitForCloseReasonAsync(sid));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_client_ping_in_a_post_is_a_transport_error(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "2");

        Assert.Equal((HttpStatusCode.OK, "ok"), (post.Status, post.Body));
        Assert.Equal("transport error", await server.WaitForCloseReasonAsync(sid));
        await client.AssertUnknownSidAsync(sid);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task An_octet_stream_post_is_400_and_a_transport_error(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "4x", "application/octet-stream");

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal("transport error", await server.WaitForCloseReasonAsync(sid));
        await client.AssertUnknownSidAsync(sid);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_dropped_pending_get_is_a_transport_error(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();
        using var cancel = new CancellationTokenSource();
        var pending = client.GetAsync(RawEngineClient.Polling(sid), cancel.Token);
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal("transport error", await server.WaitForCloseReasonAsync(sid));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task WebSocket_client_close_completes_the_close_handshake_with_transport_close(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        var handshake = await Record.ExceptionAsync(ws.CloseAsync);

        Assert.Equal("transport close", await server.WaitForCloseReasonAsync(sid));
        Assert.True(handshake is null, $"close handshake not completed by the server: {handshake?.Message}");
        Assert.Equal(WebSocketState.Closed, ws.Socket.State);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task WebSocket_dropped_connection_is_a_transport_close(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        ws.Socket.Abort();
        ws.Socket.Dispose();

        Assert.Equal("transport close", await server.WaitForCloseReasonAsync(sid));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task WebSocket_unknown_packet_type_is_a_parse_error_and_closes_the_socket(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        await ws.SendTextAsync("abc");

        Assert.Equal("parse error", await server.WaitForCloseReasonAsync(sid));
        var (frames, close) = await ws.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(frames);
        Assert.True(close.IsClose);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task WebSocket_message_over_max_payload_is_closed_1009_with_transport_error(string target)
    {
        await using var server = await StartAsync(target);
        using var client = server.CreateClient();
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        await ws.SendTextAsync("4" + new string('x', 1_000_000)); // 1,000,001 bytes, limit 1e6

        var (frames, close) = await ws.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(frames);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.CloseStatus);
        Assert.Equal("transport error", await server.WaitForCloseReasonAsync(sid));
    }
}
