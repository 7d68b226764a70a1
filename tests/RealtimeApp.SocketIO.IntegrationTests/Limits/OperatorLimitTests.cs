using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Limits;

/// <summary>
/// Each operator limit against a real Kestrel with raw clients, so the exact refusal on the wire is what is
/// asserted: the HTTP status and JSON of a refused handshake, the CONNECT_ERROR of one namespace too many,
/// the error ack of a refused event or join. After each refusal the server still serves (the same client
/// where it stays connected, and a fresh one).
/// </summary>
public sealed class OperatorLimitTests
{
    [Fact]
    public async Task MaxSessions_refuses_one_more_handshake_with_503_on_both_transports_until_a_session_leaves()
    {
        await using var server = await SocketIOTestServer.StartAsync(configureEngine: e => e.MaxSessions = 2);
        await using var first = await SocketIORawClient.OpenAsync(server);
        await using var second = await SocketIORawClient.OpenAsync(server);

        using var http = new HttpClient();
        var polling = await http.GetAsync(new Uri(server.BaseAddress, "/socket.io/?EIO=4&transport=polling"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, polling.StatusCode);
        Assert.Equal("""{"code":4,"message":"Too many sessions"}""", await polling.Content.ReadAsStringAsync());

        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(server.WebSocketUrl, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);

        // The open sessions are untouched, and a slot freed is a slot to take.
        await first.ConnectNamespaceAsync();
        await first.SendTextAsync("""421["message-with-ack","still here"]""");
        Assert.Equal("""431["still here"]""", await first.ReceiveTextAsync());
        await second.DisposeAsync();
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.GetStatistics().EngineSessions == 1, "the second session to close");
        await using var third = await SocketIORawClient.OpenAsync(server);
        await third.ConnectNamespaceAsync();
        Assert.Equal(2, server.Io.GetStatistics().RefusedHandshakes);
    }

    [Fact]
    public async Task HandshakeRateLimit_refuses_a_burst_from_one_address_with_429_and_retry_after_but_not_its_open_sessions()
    {
        // The test server's warm-up takes one handshake of the burst of 4.
        await using var server = await SocketIOTestServer.StartAsync(configureEngine: e =>
            e.HandshakeRateLimit = new RateLimitOptions { Burst = 4, PermitsPerSecond = 0.2 });
        using var http = new HttpClient();
        var handshake = new Uri(server.BaseAddress, "/socket.io/?EIO=4&transport=polling");

        var sids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var open = await http.GetStringAsync(handshake);
            sids.Add(JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!);
        }
        var refused = await http.GetAsync(handshake);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("5", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
        Assert.Equal("""{"code":4,"message":"Too many handshakes"}""", await refused.Content.ReadAsStringAsync());

        // Requests of sessions already open are not handshakes: they go on.
        var session = new Uri(server.BaseAddress, $"/socket.io/?EIO=4&transport=polling&sid={sids[0]}");
        (await http.PostAsync(session, new StringContent("40"))).EnsureSuccessStatusCode();
        Assert.StartsWith("40{\"sid\":", await http.GetStringAsync(session));
    }

    [Fact]
    public async Task MaxNamespacesPerConnection_answers_one_more_connect_with_connect_error_and_keeps_the_connection()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.MaxNamespacesPerConnection = 2);
        await using var client = await SocketIORawClient.OpenAsync(server);
        await client.ConnectNamespaceAsync();
        await client.ConnectNamespaceAsync("/custom");

        await client.SendTextAsync("40/private,{\"token\":\"secret\"}");
        Assert.Equal("""44/private,{"message":"namespace limit reached"}""", await client.ReceiveTextAsync());

        await client.SendTextAsync("""421["message-with-ack","ok"]""");
        Assert.Equal("""431["ok"]""", await client.ReceiveTextAsync());
        // Leaving a namespace frees its place.
        await client.SendTextAsync("41/custom,");
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.GetStatistics().Sockets == 1, "/custom to be left");
        await client.ConnectNamespaceAsync("/dyn-1");
        Assert.Equal(1, server.Io.GetStatistics().LimitRefusals);
    }

    [Fact]
    public async Task MaxRoomsPerSocket_refuses_the_join_past_it_with_an_error_ack_and_joins_nothing()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => { o.MaxRoomsPerSocket = 2; o.OnRefusal = RefusalAnswers.OkFalse; });
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();

        await client.SendTextAsync("""421["join","a"]""");
        Assert.Equal("431[]", await client.ReceiveTextAsync());
        await client.SendTextAsync("""422["join","b"]""");
        Assert.Equal("432[]", await client.ReceiveTextAsync());
        await client.SendTextAsync("""423["join","c"]""");
        Assert.Equal("""433[{"ok":false,"error":{"code":"limit_exceeded","message":"room limit reached (2)"}}]""",
            await client.ReceiveTextAsync());
        // A room already joined is no new room.
        await client.SendTextAsync("""424["join","a"]""");
        Assert.Equal("434[]", await client.ReceiveTextAsync());

        Assert.Equal(new[] { "a", "b", sid }.Order(StringComparer.Ordinal), server.Socket(sid).Rooms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MaxPendingAcksPerSocket_fails_the_emit_past_it_at_once_and_frees_a_place_per_answer()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => { o.MaxPendingAcksPerSocket = 2; o.OnRefusal = RefusalAnswers.OkFalse; });
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var socket = server.Socket(sid);
        // "ask" waits for the client's answer to a question, then acks the event with it.
        socket.On("ask", async e =>
        {
            var reply = await socket.EmitWithAckAsync("question", [e.Arguments[0].GetInt32()], TimeSpan.FromSeconds(10));
            e.Ack?.Send(reply.ToArray());
        });

        await client.SendTextAsync("""4210["ask",1]""");
        Assert.Equal("""420["question",1]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""4211["ask",2]""");
        Assert.Equal("""421["question",2]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""4212["ask",3]""");
        Assert.Equal("""4312[{"ok":false,"error":{"code":"limit_exceeded","message":"too many pending acks (2)"}}]""",
            await client.ReceiveTextAsync());
        Assert.Equal(2, server.Io.GetStatistics().PendingAcks);

        await client.SendTextAsync("430[\"one\"]");
        Assert.Equal("""4310["one"]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""4213["ask",4]""");
        Assert.Equal("""422["question",4]""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task EventRateLimit_refuses_events_past_the_burst_with_a_rate_limited_ack_then_refills()
    {
        // A fake clock: the bucket refills only when the test says, not while a busy box handles the burst.
        var clock = new FakeTimeProvider();
        await using var server = await SocketIOTestServer.StartAsync(configure: o =>
        {
            o.EventRateLimit = new RateLimitOptions { Burst = 3, PermitsPerSecond = 2 };
            o.OnRefusal = RefusalAnswers.OkFalse;
        }, time: clock);
        await using var client = await SocketIORawClient.OpenAsync(server);
        await client.ConnectNamespaceAsync();

        for (var i = 1; i <= 5; i++)
        {
            await client.SendTextAsync($$"""42{{i}}["message-with-ack",{{i}}]""");
        }
        // Events without an ack are dropped the same way, silently.
        await client.SendTextAsync("""42["message","dropped"]""");
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.ReceiveTextAsync());
        }
        const string Limited = """[{"ok":false,"error":{"code":"rate_limited","message":"rate limited"}}]""";
        Assert.Equal(["431[1]", "432[2]", "433[3]", "434" + Limited, "435" + Limited], answers);
        // The next frame answers the next event: the dropped "message" got no "message-back".
        await client.SendTextAsync("""429["message-with-ack","marker"]""");
        Assert.Equal("439" + Limited, await client.ReceiveTextAsync());
        Assert.Equal(4, server.Io.GetStatistics().RateLimitedEvents);

        clock.Advance(TimeSpan.FromSeconds(0.6)); // one permit back at 2 per second
        await client.SendTextAsync("""426["message-with-ack",6]""");
        Assert.Equal("436[6]", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task MaxAttachments_closes_the_connection_that_announces_more_and_no_other()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.MaxAttachments = 2);
        await using var other = await SocketIORawClient.OpenAsync(server);
        await other.ConnectNamespaceAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();

        await client.SendTextAsync("""452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]""");
        await client.SendBinaryAsync([1]);
        await client.SendBinaryAsync([2]);
        Assert.StartsWith("452-[\"message-back\"", await client.ReceiveTextAsync());
        await client.ReceiveSkippingPingsAsync();
        await client.ReceiveSkippingPingsAsync();

        await client.SendTextAsync("""453-["message",{"_placeholder":true,"num":0}]""");
        Assert.Empty(await client.ReceiveUntilClosedAsync());
        Assert.Equal(DisconnectReason.ForcedServerClose, await server.WaitForDisconnectAsync(sid));

        await other.SendTextAsync("""421["message-with-ack","fine"]""");
        Assert.Equal("""431["fine"]""", await other.ReceiveTextAsync());
    }

    [Fact]
    public async Task MaxBufferedPackets_cuts_a_client_that_does_not_read_with_transport_error_and_no_other()
    {
        await using var server = await SocketIOTestServer.StartAsync(configureEngine: e => e.MaxBufferedPackets = 64);
        await using var reader = await SocketIORawClient.OpenAsync(server);
        var (_, readerSid) = await reader.ConnectNamespaceAsync();
        await using var stalled = await SocketIORawClient.OpenAsync(server);
        var (_, stalledSid) = await stalled.ConnectNamespaceAsync();

        // The stalled client never reads again: once the socket buffers are full, its packets pile up in
        // its outbox until the limit closes it. 64 KiB packets fill the loopback buffers quickly.
        var big = new string('x', 64 * 1024);
        var socket = server.Socket(stalledSid);
        var sent = 0;
        while (server.DisconnectReasonOf(stalledSid) is null && sent < 10_000)
        {
            socket.Emit("big", big);
            sent++;
            if (sent % 64 == 0)
            {
                await Task.Delay(5);
            }
        }

        Assert.Equal(DisconnectReason.TransportError, await server.WaitForDisconnectAsync(stalledSid));
        Assert.True(sent < 10_000, $"still open after {sent} packets");
        Assert.Null(server.DisconnectReasonOf(readerSid));
        await reader.SendTextAsync("""421["message-with-ack","fine"]""");
        Assert.Equal("""431["fine"]""", await reader.ReceiveTextAsync());
    }
}
