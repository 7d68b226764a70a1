using RealtimeApp.SocketIO.EngineIO;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Handshakes and request validation with raw HTTP and raw WebSockets: the exact open packet, and every
/// error code with its exact status and JSON body (engine.io-protocol v4, Node's engine.io server errors).
/// </summary>
public sealed partial class RawHandshakeTests
{
    [GeneratedRegex("^[A-Za-z0-9_-]{20}$")]
    private static partial Regex SidFormat();

    [Fact]
    public async Task Polling_handshake_returns_the_exact_open_packet_with_text_headers()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        var response = await client.GetAsync("EIO=4&transport=polling&t=N8hyd6w");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("text/plain; charset=UTF-8", response.ContentType);
        Assert.Equal("no-store", response.CacheControl);
        var sid = RawEngineClient.SidOf(response.Body);
        Assert.Matches(SidFormat(), sid);
        // Exact string: exact key set, key order and values (300/200 are the suite's timings).
        Assert.Equal(RawEngineClient.OpenPacket(sid, polling: true, 300, 200), response.Body);
        Assert.Equal(
            ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"],
            JsonDocument.Parse(response.Body[1..]).RootElement.EnumerateObject().Select(p => p.Name));

        Assert.True(server.Server.TryGetSession(sid, out var session));
        Assert.Equal(EngineTransports.Polling, session.Transport);
        Assert.Contains(sid, server.Handler.Opened);
    }

    [Fact]
    public async Task Every_handshake_gets_a_distinct_sid()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        var sids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var (sid, _) = await client.HandshakeAsync();
            Assert.Matches(SidFormat(), sid);
            Assert.True(sids.Add(sid), $"sid {sid} was handed out twice");
        }
    }

    [Fact]
    public async Task WebSocket_handshake_sends_the_open_packet_without_upgrades_as_first_text_frame()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var open = await ws.ReceiveTextAsync();

        var sid = RawEngineClient.SidOf(open);
        Assert.Matches(SidFormat(), sid);
        Assert.Equal(RawEngineClient.OpenPacket(sid, polling: false, 300, 200), open);
        Assert.True(server.Server.TryGetSession(sid, out var session));
        Assert.Equal(EngineTransports.WebSocket, session.Transport);
    }

    public static TheoryData<string, string, int, string> RequestErrors => new()
    {
        // 0: transport missing or not enabled.
        { "GET", "EIO=4", 0, "Transport unknown" },
        { "GET", "EIO=4&transport=foo", 0, "Transport unknown" },
        { "GET", "EIO=4&transport=foo&sid=AAAAAAAAAAAAAAAAAAAA", 0, "Transport unknown" },
        { "POST", "EIO=4&transport=webtransport", 0, "Transport unknown" },
        // 1: a sid the server does not know, on any method.
        { "GET", "EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA", 1, "Session ID unknown" },
        { "POST", "EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA", 1, "Session ID unknown" },
        { "GET", "EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA", 1, "Session ID unknown" },
        // 2: a handshake (no sid) that is not a GET — checked before the EIO revision, as in Node.
        { "POST", "EIO=4&transport=polling", 2, "Bad handshake method" },
        { "PUT", "EIO=4&transport=polling", 2, "Bad handshake method" },
        { "POST", "EIO=3&transport=polling", 2, "Bad handshake method" },
        // 3: transport=websocket without the WebSocket upgrade headers.
        { "GET", "EIO=4&transport=websocket", 3, "Bad request" },
        // 5: anything but EIO=4 (EIO3 is not enabled), including a missing EIO.
        { "GET", "EIO=3&transport=polling", 5, "Unsupported protocol version" },
        { "GET", "EIO=5&transport=polling", 5, "Unsupported protocol version" },
        { "GET", "transport=polling", 5, "Unsupported protocol version" },
        { "GET", "EIO=four&transport=polling", 5, "Unsupported protocol version" },
    };

    [Theory]
    [MemberData(nameof(RequestErrors))]
    public async Task Refused_requests_get_400_with_the_exact_error_body_and_open_no_session(
        string method, string query, int code, string message)
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var opened = server.Handler.Opened.Count;

        var response = await client.SendAsync(new HttpMethod(method), query, method == "GET" ? null : "4x");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(RawEngineClient.ErrorBody(code, message), response.Body);
        Assert.Equal(opened, server.Handler.Opened.Count);
        Assert.Equal(0, server.Server.SessionCount);
    }

    [Theory]
    [InlineData("EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA")] // 1 unknown sid
    [InlineData("EIO=3&transport=websocket")]                         // 5 unsupported protocol
    [InlineData("transport=websocket")]                               // 5 missing EIO
    public async Task Refused_websocket_handshakes_get_400_before_the_upgrade(string query)
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        Assert.Equal(HttpStatusCode.BadRequest, await client.RefusedWebSocketStatusAsync(query));
        Assert.Equal(0, server.Server.SessionCount);
    }

    [Fact]
    public async Task AllowRequest_refusal_is_403_code_4_with_its_message_on_polling_and_400_on_websocket()
    {
        // The hook refuses everything once the test starts (the test server's own warm-up handshake passes).
        var gate = new RefuseAfterWarmUp("nope");
        await using var server = await EngineTestServer.StartAsync(o => o.AllowRequest = gate.Check);
        gate.Armed = true;
        using var client = new RawEngineClient(server.BaseAddress);
        var opened = server.Handler.Opened.Count;

        var refused = await client.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("application/json", refused.ContentType);
        Assert.Equal(RawEngineClient.ErrorBody(4, "nope"), refused.Body);
        Assert.Equal(1, gate.Asked);

        // A WebSocket handshake is refused with 400 (Node answers every failed upgrade 400).
        Assert.Equal(HttpStatusCode.BadRequest, await client.RefusedWebSocketStatusAsync("EIO=4&transport=websocket"));
        Assert.Equal(2, gate.Asked);

        // 403 is for code 4 only: errors found before the hook runs stay 400 with their own code.
        var unknownTransport = await client.GetAsync("EIO=4&transport=foo");
        Assert.Equal(HttpStatusCode.BadRequest, unknownTransport.Status);
        Assert.Equal(RawEngineClient.ErrorBody(0, "Transport unknown"), unknownTransport.Body);
        var badMethod = await client.PostAsync("EIO=4&transport=polling", "4x");
        Assert.Equal(HttpStatusCode.BadRequest, badMethod.Status);
        Assert.Equal(RawEngineClient.ErrorBody(2, "Bad handshake method"), badMethod.Body);
        var unknownSid = await client.GetAsync("EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.BadRequest, unknownSid.Status);
        Assert.Equal(RawEngineClient.ErrorBody(1, "Session ID unknown"), unknownSid.Body);

        Assert.Equal(opened, server.Handler.Opened.Count);
        Assert.Equal(0, server.Server.SessionCount);
    }

    [Fact]
    public async Task AllowRequest_returning_null_accepts_the_handshake()
    {
        var gate = new RefuseAfterWarmUp("bad token", context => context.Request.Query["token"] == "secret");
        await using var server = await EngineTestServer.StartAsync(o => o.AllowRequest = gate.Check);
        gate.Armed = true;
        using var client = new RawEngineClient(server.BaseAddress);

        var (sid, _) = await client.HandshakeAsync("EIO=4&transport=polling&token=secret");
        Assert.True(server.Server.TryGetSession(sid, out _));

        var refused = await client.GetAsync("EIO=4&transport=polling&token=guess");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(RawEngineClient.ErrorBody(4, "bad token"), refused.Body);
    }

    private sealed class RefuseAfterWarmUp(string reason, Func<Microsoft.AspNetCore.Http.HttpContext, bool>? accept = null)
    {
        private int _asked;

        public volatile bool Armed;

        public int Asked => Volatile.Read(ref _asked);

        public ValueTask<string?> Check(Microsoft.AspNetCore.Http.HttpContext context)
        {
            if (!Armed)
            {
                return ValueTask.FromResult<string?>(null);
            }
            Interlocked.Increment(ref _asked);
            return ValueTask.FromResult(accept?.Invoke(context) == true ? null : reason);
        }
    }
}
