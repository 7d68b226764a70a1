using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// Several official socket.io-client 4.8 clients (Node) at once: rooms, socket.to / socket.broadcast /
/// namespace.except, and server-side operations run by the test on <see cref="SocketIOServer"/>:
/// broadcast emit-with-ack (complete and timed out), FetchSockets, SocketsJoin, multi-room dedupe,
/// DisconnectSockets.
/// </summary>
public class NodeSocketIOBroadcastTests
{
    /// <summary>The server under test: the in-memory adapter here; subclasses run the same tests on other adapters.</summary>
    internal virtual Task<SocketIOTestServer> StartServerAsync() => SocketIOTestServer.StartAsync();

    /// <summary>The clients' environment (e.g. <c>SOCKETIO_PARSER=msgpack</c> when a subclass runs the msgpack parser).</summary>
    internal virtual IReadOnlyDictionary<string, string> ClientEnvironment { get; } = new Dictionary<string, string>();

    [Theory]
    [InlineData("polling", "/")]
    [InlineData("websocket", "/")]
    [InlineData("polling,websocket", "/")]
    [InlineData("websocket", "/custom")]
    public async Task Rooms_and_broadcasts_reach_exactly_the_right_clients(string transports, string ns)
    {
        await using var server = await StartServerAsync();

        var run = await NodeClient.RunWithEnvironmentAsync(ClientEnvironment, "socketio-rooms-client.mjs", server.BaseAddress.ToString(), transports, ns);

        Assert.True(run.ExitCode == 0, run.ToString());
        // What each client received, in order; marker n closes step n (see the script).
        string[] Received(string client) => [.. run.Named("received")
            .Where(e => e.GetProperty("client").GetString() == client)
            .Select(e => $"{e.GetProperty("name").GetString()} {e.GetProperty("args").GetRawText()}")];
        // A: in r1 until step 4; sent the to-room of step 1, so it is excluded from it.
        Assert.Equal(["marker [1]", """broadcast-message ["from-b"]""", "marker [2]", "marker [3]", "marker [4]"],
            Received("A"));
        // B: in r1 throughout; sent the broadcast of step 2, so it is excluded from it.
        Assert.Equal(["""room-message ["to-r1"]""", "marker [1]", "marker [2]", "marker [3]",
            """room-message ["after-leave"]""", "marker [4]"], Received("B"));
        // C: never in r1; namespace.except(r1) includes the socket that asked for it.
        Assert.Equal(["marker [1]", """broadcast-message ["from-b"]""", "marker [2]", """except-message ["not-r1"]""",
            "marker [3]", "marker [4]"], Received("C"));

        // Emit returned how many sockets each broadcast was handed to.
        var reached = run.Named("ack")
            .Where(e => e.GetProperty("emitted")[0].GetString() is "to-room" or "broadcast" or "everyone-except")
            .Select(e => e.GetProperty("reply").GetInt32());
        Assert.Equal([1, 2, 1, 1], reached);

        var rooms = run.Named("rooms").ToDictionary(e => e.GetProperty("client").GetString()!);
        string[] RoomsOf(string client) => [.. rooms[client].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()!).Order()];
        string IdOf(string client) => rooms[client].GetProperty("id").GetString()!;
        Assert.Equal([IdOf("A")], RoomsOf("A"));
        Assert.Equal(new[] { IdOf("B"), "r1" }.Order(), RoomsOf("B"));
        Assert.Equal([IdOf("C")], RoomsOf("C"));

        // Leaving the namespace leaves every room.
        foreach (var client in new[] { "A", "B", "C" })
        {
            Assert.Equal(DisconnectReason.ClientNamespaceDisconnect, await server.WaitForDisconnectAsync(IdOf(client)));
        }
        Assert.Empty(server.Io.Of(ns).In("r1").FetchSockets());
        Assert.Empty(server.Io.Of(ns).Sockets);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task Server_side_operations_poll_fetch_join_emit_and_disconnect_every_client(string transports)
    {
        await using var server = await StartServerAsync();
        var running = NodeClient.RunWithEnvironmentAsync(ClientEnvironment, "socketio-poll-client.mjs", server.BaseAddress.ToString(), transports, "3", "0");
        var sockets = await WaitForClientsAsync(server, running, transports, 3);
        var io = server.Io.Of("/");

        // Broadcast with acks: every client's ack ([0] is what Node hands out).
        var responses = await io.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll", "p1");
        Assert.Equal([0, 1, 2], responses.Select(r => r[0].GetProperty("client").GetInt32()).Order());
        Assert.All(responses, r => Assert.Equal("p1", r[0].GetProperty("got").GetString()));

        Assert.Equal(sockets.Select(s => s.Id).Order(), io.FetchSockets().Select(s => s.Id).Order());

        // SocketsJoin on everyone but the first; a socket in two targeted rooms gets one copy.
        io.Except(sockets[0].Id).SocketsJoin("polled");
        Assert.Equal(sockets.Skip(1).Select(s => s.Id).Order(), io.In("polled").FetchSockets().Select(s => s.Id).Order());
        Assert.Contains("polled", sockets[1].Rooms);
        Assert.DoesNotContain("polled", sockets[0].Rooms);
        Assert.Equal(2, io.To("polled", sockets[1].Id).Emit("news", "n1"));

        io.DisconnectSockets();

        var run = await running;
        Assert.True(run.ExitCode == 0, run.ToString());
        var clientOf = run.Named("connect").ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("client").GetInt32());
        var news = run.Named("news").Select(e => (Client: e.GetProperty("client").GetInt32(), Args: e.GetProperty("args").GetRawText()));
        Assert.Equal(new[] { (clientOf[sockets[1].Id], """["n1"]"""), (clientOf[sockets[2].Id], """["n1"]""") }.Order(), news.Order());
        Assert.Equal(3, run.Named("poll").Count(e => e.GetProperty("args").GetRawText() == """["p1"]"""));
        Assert.All(run.Named("disconnect"), e => Assert.Equal("io server disconnect", e.GetProperty("reason").GetString()));
        Assert.Equal(3, run.Named("disconnect").Count());
        foreach (var socket in sockets)
        {
            Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await server.WaitForDisconnectAsync(socket.Id));
        }
        Assert.Empty(io.FetchSockets());
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task Broadcast_ack_timeout_carries_the_answers_that_came(string transports)
    {
        await using var server = await StartServerAsync();
        // Client 0 never answers "poll".
        var running = NodeClient.RunWithEnvironmentAsync(ClientEnvironment, "socketio-poll-client.mjs", server.BaseAddress.ToString(), transports, "3", "1");
        var sockets = await WaitForClientsAsync(server, running, transports, 3);
        var io = server.Io.Of("/");

        // 5 s (not 1 s): the two answering clients, Node processes over polling on a busy box, must make it.
        var timedOut = await Assert.ThrowsAsync<BroadcastAckTimeoutException>(
            () => io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("poll", "p2"));

        Assert.Equal("operation has timed out", timedOut.Message);
        Assert.Equal(3, timedOut.Expected);
        Assert.Equal([1, 2], timedOut.Responses.Select(r => r[0].GetProperty("client").GetInt32()).Order());
        Assert.All(timedOut.Responses, r => Assert.Equal("p2", r[0].GetProperty("got").GetString()));

        // An ack that comes after the timeout (none here) or a later broadcast does not mix with this one.
        var answered = await io.Except(sockets[0].Id).Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll", "p3");
        Assert.Equal([1, 2], answered.Select(r => r[0].GetProperty("client").GetInt32()).Order());
        Assert.All(answered, r => Assert.Equal("p3", r[0].GetProperty("got").GetString()));

        io.DisconnectSockets();
        var run = await running;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, run.Named("poll").Count(e => e.GetProperty("args").GetRawText() == """["p2"]"""));
        Assert.Equal(2, run.Named("poll").Count(e => e.GetProperty("args").GetRawText() == """["p3"]"""));
    }

    /// <summary>
    /// Waits until <paramref name="count"/> clients joined "/" and sit on their final transport (so the
    /// operations under test do not race an upgrade); fails early with the script's output if it ended.
    /// </summary>
    private static async Task<SocketContext[]> WaitForClientsAsync(SocketIOTestServer server, Task<NodeRun> running,
        string transports, int count)
    {
        var final = transports == "polling" ? EngineTransports.Polling : EngineTransports.WebSocket;
        var ready = SocketIOTestServer.WaitUntilAsync(
            () => server.Connections.Count(s => s.Namespace.Name == "/" && s.Transport == final) >= count,
            $"{count} clients on {final}");
        if (await Task.WhenAny(ready, running) == running)
        {
            Assert.Fail($"the clients ended early:\n{await running}");
        }
        await ready;
        return [.. server.Connections.Where(s => s.Namespace.Name == "/")];
    }
}
