using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.AdminUI;

/// <summary>
/// The admin namespace as the official dashboard uses it: tests/js/admin-ui-client.mjs (socket.io-client)
/// logs in to /admin with two ordinary clients on "/", reads config, server_stats and all_sockets, joins,
/// emits, leaves and disconnects through the dashboard's actions and watches the live feed.
/// </summary>
public sealed class AdminUITests
{
    [Fact]
    public async Task The_dashboard_sees_the_clients_and_its_actions_reach_them()
    {
        await using var server = await AdminUITestServer.StartAsync();

        var run = await NodeClient.RunAsync("admin-ui-client.mjs", server.BaseAddress.ToString(), "full", AdminUITestServer.Auth());

        run.AssertSucceeded();
        var c1 = ClientId(run, "c1");
        var c2 = ClientId(run, "c2");
        Assert.Matches("^[0-9a-f]{16}$", Admin(run, "session").Single()[0].GetString());
        Assert.Equal(["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS"],
            Admin(run, "config").Single()[0].GetProperty("supportedFeatures").EnumerateArray().Select(f => f.GetString()));

        // The first stats: two clients plus the dashboard, one of them (c2) on polling; the namespaces.
        var stats = Admin(run, "server_stats").First()[0];
        Assert.Equal(3, stats.GetProperty("clientsCount").GetInt32());
        Assert.Equal(1, stats.GetProperty("pollingClientsCount").GetInt32());
        Assert.Equal(Environment.ProcessId, stats.GetProperty("pid").GetInt32());
        Assert.Equal(Environment.MachineName, stats.GetProperty("serverId").GetString());
        Assert.True(stats.GetProperty("uptime").GetDouble() > 0);
        var namespaces = stats.GetProperty("namespaces").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("socketsCount").GetInt32());
        Assert.Equal(2, namespaces["/"]);
        Assert.Equal(1, namespaces["/admin"]);

        // all_sockets: both clients with their transport, engine id prefix and own-id room, no auth in the handshake.
        var sockets = Admin(run, "all_sockets").Single()[0].EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal("websocket", sockets[c1].GetProperty("transport").GetString());
        Assert.Equal("polling", sockets[c2].GetProperty("transport").GetString());
        Assert.Equal(12, sockets[c1].GetProperty("clientId").GetString()!.Length);
        Assert.Equal([c1], sockets[c1].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("/", sockets[c1].GetProperty("nsp").GetString());
        Assert.Equal("{}", sockets[c1].GetProperty("data").GetRawText());
        var handshake = sockets[c1].GetProperty("handshake");
        Assert.Equal("127.0.0.1", handshake.GetProperty("address").GetString());
        Assert.False(handshake.TryGetProperty("auth", out _));
        Assert.Contains(sockets.Values, s => s.GetProperty("nsp").GetString() == "/admin");

        // The actions and the feed they cause, dates as JSON.stringify gives them.
        var joined = Admin(run, "room_joined").Single(a => a[1].GetString() == "room1");
        Assert.Equal(["/", "room1", c1], joined.EnumerateArray().Take(3).Select(a => a.GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", joined[3].GetString());
        Assert.Contains(run.Named("client-received"), e => e.GetProperty("label").GetString() == "c1" && e.GetProperty("name").GetString() == "hello");
        var sent = Admin(run, "event_sent").Single(a => a[1].GetString() == c1 && a[2][0].GetString() == "hello");
        Assert.Equal("""["hello",1,{"a":2}]""", sent[2].GetRawText());
        var received = Admin(run, "event_received").Single(a => a[1].GetString() == c2);
        Assert.Equal("""["from-client","x",42]""", received[2].GetRawText());
        Assert.Contains(Admin(run, "room_left"), a => a[1].GetString() == "room1" && a[2].GetString() == c1);
        Assert.Equal("io server disconnect", run.Named("client-disconnect").Single(e => e.GetProperty("label").GetString() == "c2").GetProperty("reason").GetString());
        Assert.Equal("server namespace disconnect", Admin(run, "socket_disconnected").First(a => a[1].GetString() == c2)[2].GetString());
        var c3 = ClientId(run, "c3");
        Assert.Contains(Admin(run, "socket_connected"), a => a[0].GetProperty("id").GetString() == c3);
        var c4 = ClientId(run, "c4");
        var updated = Admin(run, "socket_updated").Single(a => a[0].GetProperty("id").GetString() == c4)[0];
        Assert.Equal("""{"id":"{{c4}}","nsp":"/","transport":"websocket"}""".Replace("{{c4}}", c4), updated.GetRawText());

        // The last stats count what happened since the one before: connections, a disconnection with its reason, packets.
        var events = Admin(run, "server_stats").Skip(1).SelectMany(a => a[0].GetProperty("aggregatedEvents").EnumerateArray()).ToList();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "rawConnection");
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "packetsIn" && e.GetProperty("count").GetInt32() > 0);
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "bytesOut" && e.GetProperty("count").GetInt32() > 0);
        Assert.All(events, e => Assert.Equal(0, e.GetProperty("timestamp").GetInt64() % 1000));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_Nodes_message()
    {
        await using var server = await AdminUITestServer.StartAsync();

        var run = await NodeClient.RunAsync("admin-ui-client.mjs", server.BaseAddress.ToString(), "badauth", AdminUITestServer.Auth("wrong"));

        run.AssertSucceeded();
        Assert.Equal("invalid credentials", run.Named("connect_error").Single().GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_session_id_from_a_login_is_accepted_instead_of_the_password()
    {
        await using var server = await AdminUITestServer.StartAsync();

        var run = await NodeClient.RunAsync("admin-ui-client.mjs", server.BaseAddress.ToString(), "session", AdminUITestServer.Auth());

        run.AssertSucceeded();
        Assert.Single(run.Named("reconnected-with-session"));
    }

    [Fact]
    public async Task Read_only_offers_no_actions_and_ignores_them()
    {
        await using var server = await AdminUITestServer.StartAsync(o => o.ReadOnly = true);

        var run = await NodeClient.RunAsync("admin-ui-client.mjs", server.BaseAddress.ToString(), "readonly", AdminUITestServer.Auth());

        run.AssertSucceeded();
        Assert.Equal(["AGGREGATED_EVENTS", "ALL_EVENTS"],
            Admin(run, "config").Single()[0].GetProperty("supportedFeatures").EnumerateArray().Select(f => f.GetString()));
        Assert.True(run.Named("after-actions").Single().GetProperty("c2Connected").GetBoolean());
        Assert.DoesNotContain(Admin(run, "room_joined"), a => a[1].GetString() == "room1");
    }

    [Fact]
    public async Task Production_mode_sends_statistics_only()
    {
        await using var server = await AdminUITestServer.StartAsync(o => o.Mode = RealtimeApp.SocketIO.AdminUI.SocketIOAdminUIMode.Production);

        var run = await NodeClient.RunAsync("admin-ui-client.mjs", server.BaseAddress.ToString(), "readonly", AdminUITestServer.Auth());

        run.AssertSucceeded();
        Assert.Equal(["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS"],
            Admin(run, "config").Single()[0].GetProperty("supportedFeatures").EnumerateArray().Select(f => f.GetString()));
        Assert.NotEmpty(Admin(run, "server_stats"));
        Assert.Empty(Admin(run, "all_sockets"));
        Assert.Empty(Admin(run, "socket_connected"));
        Assert.Empty(Admin(run, "room_joined"));
    }

    internal static IEnumerable<JsonElement> Admin(NodeRun run, string name) =>
        run.Named("admin").Where(e => e.GetProperty("name").GetString() == name).Select(e => e.GetProperty("args"));

    private static string ClientId(NodeRun run, string label) =>
        run.Named("client-connected").Single(e => e.GetProperty("label").GetString() == label).GetProperty("id").GetString()!;
}
