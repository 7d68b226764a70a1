using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// The official socket.io-client 4.8 (npm, driven by Node) against our server, over polling only,
/// WebSocket only, and polling upgraded to WebSocket: namespaces, auth, payloads (binary included), acks
/// both ways, middleware refusal, dynamic and unknown namespaces, disconnect reasons on both sides.
/// </summary>
public sealed class NodeSocketIOClientTests
{
    public static TheoryData<string, string> TransportsAndNamespaces => new()
    {
        { "polling", "/" }, { "websocket", "/" }, { "polling,websocket", "/" },
        { "polling", "/custom" }, { "websocket", "/custom" }, { "polling,websocket", "/custom" },
    };

    private static readonly string[] Cases = ["text", "numbers", "nested", "none", "binary", "binary-mixed", "binary-nested"];

    [Theory]
    [MemberData(nameof(TransportsAndNamespaces))]
    public async Task Client_connects_with_auth_and_every_payload_round_trips_through_events_and_acks(string transports, string ns)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-echo-client.mjs", server.BaseAddress.ToString(), transports, ns);

        await AssertEchoRunAsync(server, run, transports, ns);
    }

    /// <summary>What socketio-echo-client.mjs must have seen against our test server (shared with the msgpack parser's tests).</summary>
    internal static async Task AssertEchoRunAsync(SocketIOTestServer server, NodeRun run, string transports, string ns)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var connect = Assert.Single(run.Named("connect"));
        var id = connect.GetProperty("id").GetString()!;
        Assert.Equal(transports.Split(',')[0], connect.GetProperty("transport").GetString());

        // The "auth" event carries the CONNECT payload back, exactly; the server's handshake holds it too.
        const string auth = """{"token":"abc","n":1,"nested":{"list":[1,"two",null],"ok":true}}""";
        var authEvent = Assert.Single(run.Named("auth"));
        Assert.Equal(auth, authEvent.GetProperty("sent").GetRawText());
        Assert.Equal(auth, authEvent.GetProperty("received").GetRawText());
        var socket = server.Socket(id);
        Assert.Equal(ns, socket.Namespace.Name);
        Assert.Equal(auth, socket.Handshake.Auth.GetRawText());

        // Every case came back unchanged: as "message-back" arguments and as the ack's arguments.
        foreach (var kind in new[] { "message-back", "ack" })
        {
            var printed = run.Named(kind).ToArray();
            Assert.Equal(Cases, printed.Select(e => e.GetProperty("case").GetString()));
            var mismatches = printed
                .Where(e => e.GetProperty("sent").GetRawText() != e.GetProperty("received").GetRawText())
                .Select(e => $"{e.GetProperty("case")}: sent {e.GetProperty("sent")} got {e.GetProperty("received")}")
                .ToArray();
            Assert.True(mismatches.Length == 0, $"{kind} changed the payload:\n{string.Join('\n', mismatches)}");
        }

        // Server → client ack: the server's question reached the client, the client's answer came back.
        Assert.Equal("""["q"]""", Assert.Single(run.Named("question")).GetProperty("args").GetRawText());
        Assert.Equal("""[{"answer":"q!","n":1}]""", Assert.Single(run.Named("answer")).GetProperty("args").GetRawText());

        // After an upgrade both sides are on WebSocket.
        var final = transports == "polling" ? "polling" : "websocket";
        var transport = Assert.Single(run.Named("transport"));
        Assert.Equal(final, transport.GetProperty("client").GetString());
        Assert.Equal(final, transport.GetProperty("server").GetString());
        Assert.Equal(transports.Contains(',') ? 1 : 0, run.Named("upgrade").Count());

        Assert.Equal("io client disconnect", Assert.Single(run.Named("disconnect")).GetProperty("reason").GetString());
        Assert.Equal(DisconnectReason.ClientNamespaceDisconnect, await server.WaitForDisconnectAsync(id));
    }

    [Theory]
    [InlineData("polling", """{"token":"wrong"}""")]
    [InlineData("websocket", """{"token":"wrong"}""")]
    [InlineData("polling,websocket", """{"token":"wrong"}""")]
    [InlineData("websocket", "")]
    public async Task Middleware_refusal_gives_connect_error_with_message_and_data_and_no_connection(string transports, string auth)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-connect-client.mjs", server.BaseAddress.ToString(), transports, "/private", auth);

        Assert.True(run.ExitCode == 0, run.ToString());
        var error = Assert.Single(run.Named("connect_error"));
        Assert.Equal("unauthorized", error.GetProperty("message").GetString());
        Assert.Equal("""{"code":401}""", error.GetProperty("data").GetRawText());
        Assert.False(error.GetProperty("active").GetBoolean(), "a middleware refusal must not make the client retry");
        Assert.Empty(run.Named("connect"));
        Assert.False(Assert.Single(run.Named("after")).GetProperty("connected").GetBoolean());
        Assert.DoesNotContain(server.Connections, s => s.Namespace.Name == "/private");
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task Middleware_lets_the_right_token_in(string transports)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-connect-client.mjs", server.BaseAddress.ToString(), transports,
            "/private", """{"token":"secret"}""");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Named("connect_error"));
        var id = Assert.Single(run.Named("connect")).GetProperty("id").GetString()!;
        Assert.Equal("""["ping",1]""", Assert.Single(run.Named("message-back")).GetProperty("args").GetRawText());
        Assert.Equal("/private", server.Socket(id).Namespace.Name);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task Dynamic_namespace_matching_the_pattern_connects_and_echoes(string transports)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-connect-client.mjs", server.BaseAddress.ToString(), transports, "/dyn-42");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Named("connect_error"));
        var id = Assert.Single(run.Named("connect")).GetProperty("id").GetString()!;
        Assert.Equal("""["ping",1]""", Assert.Single(run.Named("message-back")).GetProperty("args").GetRawText());
        Assert.Equal("/dyn-42", server.Socket(id).Namespace.Name);
    }

    [Theory]
    [InlineData("polling", "/nope")]
    [InlineData("websocket", "/nope")]
    [InlineData("polling,websocket", "/nope")]
    [InlineData("websocket", "/dyn-x")]
    public async Task Unknown_namespace_gets_connect_error_invalid_namespace(string transports, string ns)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-connect-client.mjs", server.BaseAddress.ToString(), transports, ns);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Named("connect"));
        var error = Assert.Single(run.Named("connect_error"));
        Assert.Equal("Invalid namespace", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("data").ValueKind);
        Assert.Empty(server.Connections);
    }

    [Theory]
    [InlineData("polling", "client", "io client disconnect", DisconnectReason.ClientNamespaceDisconnect)]
    [InlineData("websocket", "client", "io client disconnect", DisconnectReason.ClientNamespaceDisconnect)]
    [InlineData("polling,websocket", "client", "io client disconnect", DisconnectReason.ClientNamespaceDisconnect)]
    [InlineData("polling", "server", "io server disconnect", DisconnectReason.ServerNamespaceDisconnect)]
    [InlineData("websocket", "server", "io server disconnect", DisconnectReason.ServerNamespaceDisconnect)]
    [InlineData("polling,websocket", "server", "io server disconnect", DisconnectReason.ServerNamespaceDisconnect)]
    [InlineData("polling", "engine", "forced close", DisconnectReason.TransportClose)]
    [InlineData("websocket", "engine", "forced close", DisconnectReason.TransportClose)]
    [InlineData("polling,websocket", "engine", "forced close", DisconnectReason.TransportClose)]
    public async Task Disconnect_reasons_match_node_on_both_sides(string transports, string mode, string clientReason,
        DisconnectReason serverReason)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-disconnect-client.mjs", server.BaseAddress.ToString(), transports, mode);

        Assert.True(run.ExitCode == 0, run.ToString());
        var connect = Assert.Single(run.Named("connect"));
        var id = connect.GetProperty("id").GetString()!;
        Assert.Equal(transports.Split(',')[0], connect.GetProperty("first").GetString());
        Assert.Equal(transports == "polling" ? "polling" : "websocket", connect.GetProperty("transport").GetString());
        Assert.Equal(clientReason, Assert.Single(run.Named("disconnect")).GetProperty("reason").GetString());
        Assert.Equal(serverReason, await server.WaitForDisconnectAsync(id));
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.ConnectionCount == 0, "the engine connection to close");
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task Server_disconnect_with_close_ends_every_namespace_of_the_connection(string transports)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        var run = await NodeClient.RunAsync("socketio-disconnect-client.mjs", server.BaseAddress.ToString(), transports, "close");

        Assert.True(run.ExitCode == 0, run.ToString());
        var ids = run.Named("connect").ToDictionary(e => e.GetProperty("nsp").GetString()!, e => e.GetProperty("id").GetString()!);
        Assert.Equal(["/", "/custom"], ids.Keys.Order());
        var reasons = run.Named("disconnect").ToDictionary(e => e.GetProperty("nsp").GetString()!, e => e.GetProperty("reason").GetString());
        // Both sockets must learn it was the server (so the client does not reconnect), not "transport close".
        Assert.True(reasons["/"] == "io server disconnect" && reasons["/custom"] == "io server disconnect", run.ToString());
        Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await server.WaitForDisconnectAsync(ids["/"]));
        Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await server.WaitForDisconnectAsync(ids["/custom"]));
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.ConnectionCount == 0, "the engine connection to close");
    }
}
