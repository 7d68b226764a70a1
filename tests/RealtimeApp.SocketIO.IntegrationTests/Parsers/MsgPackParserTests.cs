using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.SocketIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Parsers;

/// <summary>
/// The official socket.io-client 4.8 with <c>socket.io-msgpack-parser</c> (Node) against our server with
/// <c>SocketIOParser.MsgPack</c>: the same scripts as the JSON parser's tests (payloads of every kind, binary
/// nested, acks both ways, rooms and broadcasts, middleware refusal), and side by side with Node's socket.io
/// using the same parser.
/// </summary>
public sealed class MsgPackParserTests
{
    private static readonly Dictionary<string, string> MsgPackClients = new() { ["SOCKETIO_PARSER"] = "msgpack" };

    private static Task<SocketIOTestServer> StartAsync() =>
        SocketIOTestServer.StartAsync(configure: o => o.Parser = SocketIOParser.MsgPack);

    public static TheoryData<string, string> TransportsAndNamespaces => new()
    {
        { "polling", "/" }, { "websocket", "/" }, { "polling,websocket", "/" }, { "websocket", "/custom" },
    };

    [Theory]
    [MemberData(nameof(TransportsAndNamespaces))]
    public async Task Every_payload_round_trips_through_events_and_acks_both_ways(string transports, string ns)
    {
        await using var server = await StartAsync();

        var run = await NodeClient.RunWithEnvironmentAsync(MsgPackClients, "socketio-echo-client.mjs",
            server.BaseAddress.ToString(), transports, ns);

        await NodeSocketIOClientTests.AssertEchoRunAsync(server, run, transports, ns);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task The_client_sees_what_it_sees_from_Nodes_server_with_the_same_parser(string transports)
    {
        await using var ours = await StartAsync();
        await using var node = await ReferenceSocketIOServer.StartAsync(msgPack: true);

        var fromOurs = await NodeClient.RunWithEnvironmentAsync(MsgPackClients, "socketio-echo-client.mjs",
            ours.BaseAddress.ToString(), transports, "/");
        var fromNode = await NodeClient.RunWithEnvironmentAsync(MsgPackClients, "socketio-echo-client.mjs",
            node.BaseAddress.ToString(), transports, "/");

        fromNode.AssertSucceeded();
        fromOurs.AssertSucceeded();
        Assert.Equal(Comparable(fromNode), Comparable(fromOurs));
        Assert.Equal(fromNode.Named("upgrade").Count(), fromOurs.Named("upgrade").Count());
    }

    // Everything the client printed, but the socket id (random on each server) and the moment of the upgrade
    // (it lands before or after the first events depending on timing, on either server).
    private static string[] Comparable(NodeRun run) => run.Events
        .Where(e => e.GetProperty("event").GetString() != "upgrade")
        .Select(e => e.GetProperty("event").GetString() == "connect"
            ? $"connect {e.GetProperty("transport")} {e.GetProperty("nsp")}"
            : e.GetRawText())
        .ToArray();

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Middleware_refusal_reaches_the_client_as_connect_error_with_its_data(string transports)
    {
        await using var server = await StartAsync();

        var run = await NodeClient.RunWithEnvironmentAsync(MsgPackClients, "socketio-connect-client.mjs",
            server.BaseAddress.ToString(), transports, "/private", """{"token":"wrong"}""");

        run.AssertSucceeded();
        var error = Assert.Single(run.Named("connect_error"));
        Assert.Equal("unauthorized", error.GetProperty("message").GetString());
        Assert.Equal("""{"code":401}""", error.GetProperty("data").GetRawText());
        Assert.Empty(run.Named("connect"));
    }

    [Fact]
    public async Task A_client_of_the_json_parser_is_closed_at_its_first_packet_and_others_carry_on()
    {
        await using var server = await StartAsync();
        await using var jsonClient = await SocketIORawClient.OpenAsync(server);

        // The JSON CONNECT is a text message, which the msgpack parser cannot read (Node's msgpack.decode throws on a
        // string too): that engine connection closes with nothing sent back, and the server carries on.
        await jsonClient.SendTextAsync("40");
        Assert.Empty(await jsonClient.ReceiveUntilClosedAsync());

        var run = await NodeClient.RunWithEnvironmentAsync(MsgPackClients, "socketio-connect-client.mjs",
            server.BaseAddress.ToString(), "websocket", "/");
        run.AssertSucceeded();
        Assert.Equal("""["ping",1]""", Assert.Single(run.Named("message-back")).GetProperty("args").GetRawText());
    }
}
