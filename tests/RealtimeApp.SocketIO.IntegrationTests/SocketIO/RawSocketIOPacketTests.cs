using Microsoft.Extensions.Time.Testing;
using System.Net.WebSockets;
using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// Socket.IO v5 packets written by hand on a raw WebSocket (frame text = Engine.IO type + Socket.IO
/// packet): the CONNECT reply, the decoder's validation rules (each violation closes the connection),
/// the connect timeout, leaving a namespace, unknown namespaces, and shutdown. The raw client answers
/// every ping, so a heartbeat timeout can never be what closes a connection here.
/// </summary>
public sealed class RawSocketIOPacketTests
{
    [Fact]
    public async Task Connect_reply_has_exactly_a_fresh_sid_and_events_echo_text_and_binary()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);

        var (reply, sid) = await client.ConnectNamespaceAsync();

        var payload = JsonDocument.Parse(reply[2..]).RootElement;
        Assert.Equal(["sid"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal(20, sid.Length);
        Assert.NotEqual(client.EngineSid, sid);
        var socket = server.Socket(sid);
        Assert.Equal("/", socket.Namespace.Name);
        Assert.Equal("4", socket.Handshake.Query["EIO"]);
        Assert.Equal("websocket", socket.Handshake.Query["transport"]);
        Assert.Equal("{}", socket.Handshake.Auth.GetRawText());

        await client.SendTextAsync("""42["message","a",1,{"b":[true,null]}]""");
        Assert.Equal("""42["message-back","a",1,{"b":[true,null]}]""", await client.ReceiveTextAsync());

        await client.SendTextAsync("""4212["message-with-ack",2]""");
        Assert.Equal("4312[2]", await client.ReceiveTextAsync());

        await client.SendTextAsync("""451-["message",{"_placeholder":true,"num":0}]""");
        await client.SendBinaryAsync([1, 2, 3]);
        Assert.Equal("""451-["message-back",{"_placeholder":true,"num":0}]""", await client.ReceiveTextAsync());
        var attachment = await client.ReceiveSkippingPingsAsync();
        Assert.Equal(WebSocketMessageType.Binary, attachment.Type);
        Assert.Equal([1, 2, 3], attachment.Data);

        // The custom namespace on the same connection gets its own socket id.
        var (customReply, customSid) = await client.ConnectNamespaceAsync("/custom");
        Assert.StartsWith("40/custom,{\"sid\":", customReply);
        Assert.NotEqual(sid, customSid);
    }

    [Theory]
    [InlineData("4abc", false)] // Socket.IO type "a" does not exist
    [InlineData("42{}", false)] // an EVENT payload must be an array
    [InlineData("42[]", false)] // ... a non-empty one
    [InlineData("42[\"disconnect\"]", false)] // ... whose name is not reserved
    [InlineData("42abc[\"x\"]", false)] // a non-numeric ack id makes the JSON invalid
    [InlineData("451-[\"x\",{\"_placeholder\":true,\"num\":3}]", true)] // placeholder beyond the attachments
    [InlineData("4511-[\"x\"]", false)] // more than 10 attachments announced
    [InlineData(null, true)] // a binary frame with no packet waiting for it
    [InlineData("40", false)] // CONNECT to a namespace already joined
    [InlineData("42/custom,[\"x\"]", false)] // EVENT for a namespace not joined
    [InlineData("44{\"message\":\"x\"}", false)] // CONNECT_ERROR sent by a client
    public async Task Protocol_violation_closes_the_connection(string? text, bool binaryFrame)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();

        if (text is not null)
        {
            await client.SendTextAsync(text);
        }
        if (binaryFrame)
        {
            await client.SendBinaryAsync([1, 2, 3]);
        }

        var before = await client.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        Assert.Equal(DisconnectReason.ForcedServerClose, await server.WaitForDisconnectAsync(sid));
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.ConnectionCount == 0, "the engine connection to be gone");
    }

    [Fact]
    public async Task A_client_that_never_joins_a_namespace_is_closed_after_the_connect_timeout()
    {
        // A fake clock: the 1 s deadline passes when the test says, not while a busy box is still joining
        // `joined` (heartbeats stand still too, so no ping can time anything out either).
        var clock = new FakeTimeProvider();
        await using var server = await SocketIOTestServer.StartAsync(connectTimeout: TimeSpan.FromSeconds(1), time: clock);
        await using var joined = await SocketIORawClient.OpenAsync(server);
        await joined.ConnectNamespaceAsync();
        await using var idle = await SocketIORawClient.OpenAsync(server);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(2, server.Io.ConnectionCount); // not before the deadline
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var before = await idle.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        // The timer of the client that joined was cleared: it still works well after its deadline.
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await joined.SendTextAsync("""42["message","still here"]""");
        Assert.Equal("""42["message-back","still here"]""", await joined.ReceiveTextAsync());
        Assert.Equal(1, server.Io.ConnectionCount);
    }

    [Fact]
    public async Task Leaving_the_namespace_keeps_the_engine_connection()
    {
        // A fake clock: "not armed again" is checked by moving it past the 1 s deadline, not by sleeping 1.2 s
        // and hoping a busy box fired the timer if it was armed.
        var clock = new FakeTimeProvider();
        await using var server = await SocketIOTestServer.StartAsync(connectTimeout: TimeSpan.FromSeconds(1), time: clock);
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();

        await client.SendTextAsync("41");

        Assert.Equal(DisconnectReason.ClientNamespaceDisconnect, await server.WaitForDisconnectAsync(sid));
        // Nothing but the heartbeat follows, and the connect timeout is not armed again.
        clock.Advance(TimeSpan.FromMilliseconds(300)); // the ping interval
        Assert.Equal("2", (await client.ReceiveAsync()).Text);
        await client.SendTextAsync("3");
        clock.Advance(TimeSpan.FromSeconds(1.2)); // past a re-armed deadline, short of the next ping's timeout
        Assert.Equal(1, server.Io.ConnectionCount);
        await client.SendTextAsync("40");
        var again = await client.ReceiveTextAsync();
        Assert.StartsWith("40{\"sid\":", again);
        Assert.DoesNotContain(sid, again);
    }

    [Theory]
    [InlineData("40/random,")]
    [InlineData("40/random")]
    [InlineData("40/random,{\"token\":\"x\"}")]
    public async Task Unknown_namespace_gets_connect_error_and_the_connection_stays(string connect)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);

        await client.SendTextAsync(connect);

        Assert.Equal("""44/random,{"message":"Invalid namespace"}""", await client.ReceiveTextAsync());
        await client.ConnectNamespaceAsync();
        Assert.Equal(1, server.Io.ConnectionCount);
    }

    [Fact]
    public async Task Middleware_refusal_is_a_connect_error_with_message_and_data()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);

        await client.SendTextAsync("""40/private,{"token":"nope"}""");
        Assert.Equal("""44/private,{"message":"unauthorized","data":{"code":401}}""", await client.ReceiveTextAsync());

        await client.SendTextAsync("""40/private,{"token":"secret"}""");
        Assert.StartsWith("40/private,{\"sid\":", await client.ReceiveTextAsync());
        Assert.Equal("""42/private,["auth",{"token":"secret"}]""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Server_shutdown_sends_nothing_by_default_as_Node_and_closes_the_transport()
    {
        var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        await client.ConnectNamespaceAsync();
        await client.ConnectNamespaceAsync("/custom");

        var stopping = server.DisposeAsync().AsTask();
        var before = await client.ReceiveUntilClosedAsync();
        await stopping;

        Assert.Empty(before);
    }

    [Fact]
    public async Task Server_shutdown_tells_each_socket_the_apps_shutdown_event_then_closes()
    {
        var server = await SocketIOTestServer.StartAsync(configure: o => o.ShutdownEvent = "shutdown");
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var (_, customSid) = await client.ConnectNamespaceAsync("/custom");

        var stopping = server.DisposeAsync().AsTask();
        var before = await client.ReceiveUntilClosedAsync();
        await stopping;

        // The shutdown event in each namespace, then the transport closes (no DISCONNECT packet: clients
        // reconnect, as after Node's io.close()).
        Assert.Equal(["""42/custom,["shutdown","server shutting down"]""", """42["shutdown","server shutting down"]"""],
            before.Select(f => f.Text).Order(StringComparer.Ordinal));
        Assert.Equal(DisconnectReason.ServerShuttingDown, server.DisconnectReasonOf(sid));
        Assert.Equal(DisconnectReason.ServerShuttingDown, server.DisconnectReasonOf(customSid));
    }

    [Fact]
    public async Task Server_acks_use_one_counter_per_namespace_and_unknown_ack_ids_are_ignored()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var socket = server.Socket(sid);

        var asked = socket.EmitWithAckAsync("question", ["x"], TimeSpan.FromSeconds(10));
        Assert.Equal("""420["question","x"]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("4399[\"nobody asked\"]");
        await client.SendTextAsync("""430["answer",{"n":1}]""");
        Assert.Equal(["\"answer\"", """{"n":1}"""], (await asked).Select(a => a.GetRawText()));

        var polled = server.Io.Of("/").Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll");
        Assert.Equal("""421["poll"]""", await client.ReceiveTextAsync());
        // A BINARY_ACK completes the broadcast too, and its bytes are readable.
        await client.SendTextAsync("""461-1[{"_placeholder":true,"num":0}]""");
        await client.SendBinaryAsync([7, 7]);
        var ack = Assert.Single(await polled);
        Assert.Equal(new byte[] { 7, 7 }, ack.GetBytes(0)!.Value.ToArray());

        // No answer: "operation has timed out", and the connection is not affected.
        var unanswered = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(
            () => socket.EmitWithAckAsync("question", ["y"], TimeSpan.FromMilliseconds(300)));
        Assert.Equal("operation has timed out", unanswered.Message);
        Assert.Equal("""422["question","y"]""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""42["message","ok"]""");
        Assert.Equal("""42["message-back","ok"]""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_text_packet_while_attachments_are_expected_closes_the_connection()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();

        await client.SendTextAsync("""452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]""");
        await client.SendBinaryAsync([1]);
        await client.SendTextAsync("""42["message","too early"]""");

        Assert.Empty(await client.ReceiveUntilClosedAsync());
        Assert.Equal(DisconnectReason.ForcedServerClose, await server.WaitForDisconnectAsync(sid));
    }

    [Fact]
    public async Task Server_namespace_disconnect_leaves_the_other_namespaces_and_the_connection()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, mainSid) = await client.ConnectNamespaceAsync();
        var (_, customSid) = await client.ConnectNamespaceAsync("/custom");

        await client.SendTextAsync("""42/custom,["disconnect-me"]""");

        Assert.Equal("41/custom,", await client.ReceiveTextAsync());
        Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await server.WaitForDisconnectAsync(customSid));
        await client.SendTextAsync("""42["message","main still here"]""");
        Assert.Equal("""42["message-back","main still here"]""", await client.ReceiveTextAsync());
        Assert.Null(server.DisconnectReasonOf(mainSid));
        Assert.Equal(1, server.Io.ConnectionCount);
    }
}
