using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO.Transports;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// Connection state recovery with the official socket.io-client 4.8 (Node): the server cuts the client's
/// TCP connections (no close frame, no response), emits to its rooms and to it while it is away, and the
/// client reconnects on its own. Within the window: same id, rooms and data, <c>recovered</c> on both sides,
/// every missed event once and in order. Past it: a fresh session.
/// </summary>
public sealed class ConnectionStateRecoveryTests
{
    private static async Task<SocketIOTestServer> StartAsync(TimeSpan window, SocketIOParser parser = SocketIOParser.Json)
    {
        var server = await SocketIOTestServer.StartAsync(configure: o =>
        {
            o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions { MaxDisconnectionDuration = window };
            o.Parser = parser;
        });
        var ns = server.Io.Of("/");
        var awayOnce = 0;
        var away = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // the server saw the client go
        ns.OnConnection(socket =>
        {
            if (!socket.Recovered)
            {
                socket.Data["joinedAt"] = "first";
            }
            socket.On("tick-me", e =>
            {
                ns.To("r1").Emit("tick", e.Arguments[0]);
                e.Ack?.Send();
            });
            socket.On("cut-me", async _ =>
            {
                // Polling: cut while the client's GET is held, so the server sees the transport fail (not: a
                // 50 ms sleep that hopes a GET is open). Its reconnection waits until the server has seen the
                // disconnect (the aborted poll closes the session only after a grace), not for its 100 ms delay.
                if (socket.EngineSession.CurrentTransport is PollingTransport polling)
                {
                    await SocketIOTestServer.WaitUntilAsync(() => polling.HasPendingPoll, "the client's GET to be held");
                }
                server.HoldNewConnectionsUntil(away.Task);
                server.CutConnections();
            });
            socket.Disconnected += (s, reason) =>
            {
                if (!reason.IsRecoverable() || Interlocked.Exchange(ref awayOnce, 1) == 1)
                {
                    return;
                }
                // While the client is away: to its room, to everyone, to it directly — and one it must not get.
                ns.To("r1").Emit("tick", 2);
                ns.To("r1").Emit("tick", 3);
                ns.Except("r1").Emit("tick", "not for r1");
                ns.Emit("all", "x");
                s.Emit("direct", new { n = 4 });
                ns.Volatile.Emit("tick", "volatile: never stored");
                away.TrySetResult();
            };
        });
        return server;
    }

    [Theory]
    [InlineData("websocket", false)]
    [InlineData("polling", false)]
    [InlineData("polling,websocket", false)]
    [InlineData("websocket", true)]
    [InlineData("polling", true)]
    public async Task A_client_back_within_the_window_gets_its_id_rooms_data_and_every_missed_event_once_in_order(
        string transports, bool msgPack)
    {
        await using var server = await StartAsync(TimeSpan.FromSeconds(30), msgPack ? SocketIOParser.MsgPack : SocketIOParser.Json);

        var run = await NodeClient.RunWithEnvironmentAsync(
            msgPack ? new Dictionary<string, string> { ["SOCKETIO_PARSER"] = "msgpack" } : [],
            "socketio-recovery-client.mjs", server.BaseAddress.ToString(), transports, "100");

        run.AssertSucceeded();
        var first = run.Named("connect").Single();
        Assert.False(first.GetProperty("recovered").GetBoolean());
        var id = first.GetProperty("id").GetString()!;
        Assert.Contains(run.Named("disconnect").Single().GetProperty("reason").GetString(), new[] { "transport close", "transport error" });

        var back = run.Named("reconnect").Single();
        Assert.True(back.GetProperty("recovered").GetBoolean(), run.ToString());
        Assert.Equal(id, back.GetProperty("id").GetString());

        // Each event's last argument is its offset; the rest is what the server emitted.
        var received = run.Named("received").Select(e =>
        {
            var args = e.GetProperty("args").EnumerateArray().ToArray();
            Assert.Equal(JsonValueKind.String, args[^1].ValueKind);
            return $"{e.GetProperty("name").GetString()} {string.Join(",", args[..^1].Select(a => a.GetRawText()))}";
        });
        Assert.Equal(["tick 1", "tick 2", "tick 3", "all \"x\"", """direct {"n":4}"""], received);
        var offsets = run.Named("received").Select(e => e.GetProperty("args").EnumerateArray().Last().GetString()).ToList();
        Assert.Equal(offsets.Count, offsets.Distinct().Count());

        Assert.Equal(new[] { id, "r1" }.Order(), run.Named("rooms").Single().GetProperty("rooms").EnumerateArray().Select(r => r.GetString()).Order());
        var recovered = server.Socket(id);
        Assert.True(recovered.Recovered);
        Assert.Equal("first", recovered.Data["joinedAt"]);
        Assert.Equal(2, server.Connections.Count(s => s.Id == id));
    }

    [Fact]
    public async Task A_client_back_after_the_window_gets_a_fresh_session_and_nothing_replayed()
    {
        await using var server = await StartAsync(TimeSpan.FromMilliseconds(300));

        var run = await NodeClient.RunAsync("socketio-recovery-client.mjs", server.BaseAddress.ToString(), "websocket", "1200");

        run.AssertSucceeded();
        var id = run.Named("connect").Single().GetProperty("id").GetString()!;
        var back = run.Named("reconnect").Single();
        Assert.False(back.GetProperty("recovered").GetBoolean());
        Assert.NotEqual(id, back.GetProperty("id").GetString());
        Assert.Equal(["tick"], run.Named("received").Select(e => e.GetProperty("name").GetString()));
        var fresh = server.Socket(back.GetProperty("id").GetString()!);
        Assert.False(fresh.Recovered);
        Assert.Equal([fresh.Id], run.Named("rooms").Single().GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Without_the_option_the_connect_reply_has_no_pid_and_events_no_offset()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);

        // Also reads the test handlers' first emit and checks it is exactly 42["auth",{}]: no offset.
        var (reply, _) = await client.ConnectNamespaceAsync("/");

        Assert.DoesNotContain("pid", reply);
        Assert.Equal((0, 0), ((InMemoryAdapter)server.Io.Of("/").Adapter).RecoveryBacklog);
    }

    [Fact]
    public async Task With_the_option_the_connect_reply_carries_a_pid_and_each_stored_event_its_offset()
    {
        await using var server = await StartAsync(TimeSpan.FromSeconds(30));
        await using var client = await SocketIORawClient.OpenAsync(server);
        var adapter = (InMemoryAdapter)server.Io.Of("/").Adapter;
        var stored = adapter.RecoveryBacklog.Packets; // the warm-up connection's emits are kept too

        await client.SendTextAsync("40");
        var reply = await client.ReceiveTextAsync();

        using var json = JsonDocument.Parse(reply[2..]);
        Assert.Equal(["sid", "pid"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.NotEqual(json.RootElement.GetProperty("sid").GetString(), json.RootElement.GetProperty("pid").GetString());
        Assert.Matches("""^42\["auth",\{\},"[0-9A-Za-z_-]+(\.[0-9A-Za-z_-]+)?"\]$""", await client.ReceiveTextAsync());
        Assert.Equal(stored + 1, adapter.RecoveryBacklog.Packets);
    }
}
