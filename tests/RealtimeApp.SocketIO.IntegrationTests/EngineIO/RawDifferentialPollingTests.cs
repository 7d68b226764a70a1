using System.Net;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Differential: the same raw steps against our server and Node's engine.io 6.6.12 (the reference, run by
/// tests/js/reference-engine-server.mjs with the same settings), asserting the same observable result.
/// A failure on one side only is a difference between the two servers. This file: handshakes, request
/// errors, polling.
/// </summary>
public sealed class RawDifferentialPollingTests
{
    public static TheoryData<string> Targets => RawEngineTarget.Both;

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Polling_handshake_open_packet_and_headers(string target)
    {
        await using var server = await RawEngineTarget.StartAsync(target);
        using var client = server.CreateClient();

        var response = await client.GetAsync("EIO=4&transport=polling");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("text/plain; charset=UTF-8", response.ContentType);
        Assert.Equal("no-store", response.CacheControl);
        var sid = RawEngineClient.SidOf(response.Body);
        Assert.Equal(20, sid.Length);
        Assert.Equal(RawEngineClient.OpenPacket(sid, polling: true, 300, 200), response.Body);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task WebSocket_handshake_open_packet(string target)
    {
        await using var server = await RawEngineTarget.StartAsync(target);
        using var client = server.CreateClient();

        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var open = await ws.ReceiveTextAsync();

        Assert.Equal(RawEngineClient.OpenPacket(RawEngineClient.SidOf(open), polling: false, 300, 200), open);
    }

    public static TheoryData<string, string, string, int, string> Errors()
    {
        var cases = new (string Method, string Query, int Code, string Message)[]
        {
            ("GET", "EIO=4", 0, "Transport unknown"),
            ("GET", "EIO=4&transport=foo", 0, "Transport unknown"),
            ("GET", "EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA", 1, "Session ID unknown"),
            ("POST", "EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA", 1, "Session ID unknown"),
            ("POST", "EIO=4&transport=polling", 2, "Bad handshake method"),
            ("PUT", "EIO=4&transport=polling", 2, "Bad handshake method"),
            ("POST", "EIO=3&transport=polling", 2, "Bad handshake method"),
            ("GET", "EIO=4&transport=websocket", 3, "Bad request"),
            ("GET", "EIO=3&transport=polling", 5, "Unsupported protocol version"),
            ("GET", "EIO=5&transport=polling", 5, "Unsupported protocol version"),
            ("GET", "transport=polling", 5, "Unsupported protocol version"),
        };
        var data = new TheoryData<string, string, string, int, string>();
        foreach (var target in RawEngineTarget.Both)
        {
            foreach (var (method, query, code, message) in cases)
            {
                data.Add(target, method, query, code, message);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Request_errors_status_and_body(string target, string method, string query, int code, string message)
    {
        await using var server = await RawEngineTarget.StartAsync(target);
        using var client = server.CreateClient();

        var response = await client.SendAsync(new HttpMethod(method), query, method == "GET" ? null : "4x");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(RawEngineClient.ErrorBody(code, message), response.Body);
    }

    [Theory]
    [InlineData("ours", "EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("node", "EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ours", "EIO=3&transport=websocket")]
    [InlineData("node", "EIO=3&transport=websocket")]
    public async Task Refused_websocket_handshakes_open_no_session(string target, string query)
    {
        await using var server = await RawEngineTarget.StartAsync(target);
        using var client = server.CreateClient();

        // Ours answers these handshakes 400 before accepting. Node answers an unknown sid the same way, but
        // for EIO=3 it first accepts the WebSocket (101) and then writes a raw "HTTP/1.1 400" into the
        // upgraded stream and drops it. What both must agree on: no open packet, the socket is unusable.
        string outcome;
        try
        {
            await using var ws = await client.ConnectWebSocketAsync(query);
            try
            {
                outcome = $"accepted, then {await ws.ReceiveAsync(TimeSpan.FromSeconds(5))}";
            }
            catch (System.Net.WebSockets.WebSocketException ex)
            {
                outcome = $"accepted, then broken: {ex.GetType().Name}";
            }
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            outcome = "refused";
        }

        Assert.DoesNotContain("text 0{", outcome);
        Assert.True(outcome == "refused" || outcome.StartsWith("accepted, then broken", StringComparison.Ordinal)
            || outcome.StartsWith("accepted, then close", StringComparison.Ordinal), outcome);
    }

    public static TheoryData<string, string> Echoes()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in RawEngineTarget.Both)
        {
            foreach (var payload in new[] { "4hello", "4a\u001e4b\u001e4c", "bAQIDBA==", "4a\u001ebAQIDBA==\u001e4c", "4", "4\u20ac \U0001F600" })
            {
                data.Add(target, payload);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task Polling_echo_text_batches_and_binary(string target, string payload)
    {
        await using var server = await RawEngineTarget.StartAsync(target, pingInterval: 20_000, pingTimeout: 20_000);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), payload);
        var get = await client.GetAsync(RawEngineClient.Polling(sid));

        Assert.Equal((HttpStatusCode.OK, "ok", "text/html"), (post.Status, post.Body, post.ContentType));
        Assert.Equal((HttpStatusCode.OK, "text/plain; charset=UTF-8"), (get.Status, get.ContentType));
        Assert.Equal(RawEngineClient.Show(payload), RawEngineClient.Show(get.Body));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Client_close_releases_the_pending_get_with_noop(string target)
    {
        await using var server = await RawEngineTarget.StartAsync(target, pingInterval: 20_000, pingTimeout: 20_000);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();
        var pending = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)
        Assert.False(pending.IsCompleted);

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "1");
        var released = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((HttpStatusCode.OK, "ok"), (post.Status, post.Body));
        Assert.Equal((HttpStatusCode.OK, "6"), (released.Status, released.Body));
        Assert.Equal("transport close", await server.WaitForCloseReasonAsync(sid));
        await client.AssertUnknownSidAsync(sid);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Overlapping_get_is_400_and_the_first_get_gets_close(string target)
    {
        await using var server = await RawEngineTarget.StartAsync(target, pingInterval: 20_000, pingTimeout: 20_000);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();
        var first = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)
        Assert.False(first.IsCompleted);

        var second = await client.GetAsync(RawEngineClient.Polling(sid));
        var released = await first.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal((HttpStatusCode.OK, "1"), (released.Status, released.Body));
        Assert.Equal("transport error", await server.WaitForCloseReasonAsync(sid));
        await client.AssertUnknownSidAsync(sid);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Without_pong_the_session_dies_with_ping_timeout(string target)
    {
        // Timeout 2 s (not 200 ms): both GETs must reach the server before the session times out.
        await using var server = await RawEngineTarget.StartAsync(target, pingTimeout: 2000);
        using var client = server.CreateClient();
        var (sid, _) = await client.HandshakeAsync();

        Assert.Equal("2", await client.PollAsync(sid));
        Assert.Equal("1", await client.PollAsync(sid)); // held until the timeout, then released with close

        Assert.Equal("ping timeout", await server.WaitForCloseReasonAsync(sid));
        await client.AssertUnknownSidAsync(sid);
    }
}
