using System.Net;
using System.Net.Http.Headers;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// The socket's user is the ASP.NET Core user of its engine handshake (official Node client signing in with a
/// bearer header, as a script does), never what the client sends in <c>auth</c>; each signed-in socket is in its
/// user's room; a later request of the session cannot switch the user.
/// </summary>
public sealed class SocketUserTests
{
    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task The_socket_user_is_the_authenticated_request_user_and_user_rooms_reach_every_tab(string transports)
    {
        await using var server = await StartAsync();
        // Two tabs of alice, bob (who claims to be alice in auth), and an anonymous tab.
        var run = await NodeClient.RunAsync("socketio-user-client.mjs", server.BaseAddress.ToString(), transports,
            """[{"bearer":"alice"},{"bearer":"alice"},{"bearer":"bob","auth":{"name":"alice","userId":"id-alice"}},{}]""",
            "id-alice");

        run.AssertSucceeded();
        var who = run.Named("whoami").OrderBy(e => e.GetProperty("tab").GetInt32()).ToArray();
        Assert.Equal(4, who.Length);
        foreach (var (tab, name) in new[] { (0, "alice"), (1, "alice"), (2, "bob") })
        {
            Assert.True(who[tab].GetProperty("authenticated").GetBoolean(), run.ToString());
            Assert.Equal(name, who[tab].GetProperty("name").GetString());
            Assert.Equal("id-" + name, who[tab].GetProperty("userId").GetString());
            Assert.Equal(["user:id-" + name], who[tab].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        }
        Assert.False(who[3].GetProperty("authenticated").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, who[3].GetProperty("userId").ValueKind);
        Assert.Empty(who[3].GetProperty("rooms").EnumerateArray());

        var told = run.Named("told").Single();
        Assert.Equal(2, told.GetProperty("count").GetInt32());
        var received = told.GetProperty("received").EnumerateArray().Select(r => r.GetArrayLength()).ToArray();
        Assert.Equal([1, 1, 0, 0], received);
    }

    [Fact]
    public async Task A_request_carrying_another_user_for_an_existing_sid_is_refused_and_the_session_keeps_its_user()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var open = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        open.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        var handshake = await (await http.SendAsync(open)).Content.ReadAsStringAsync();
        var sid = System.Text.Json.JsonDocument.Parse(handshake[1..]).RootElement.GetProperty("sid").GetString();

        // bob presenting alice's sid: refused, with nothing written to the session.
        using var asBob = new HttpRequestMessage(HttpMethod.Post, $"socket.io/?EIO=4&transport=polling&sid={sid}")
        {
            Content = new StringContent("40"),
        };
        asBob.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bob");
        var refused = await http.SendAsync(asBob);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("another user", await refused.Content.ReadAsStringAsync());
        Assert.Empty(server.Io.Of("/").Sockets);

        // A request without credentials (a poll that does not repeat them) and alice herself go on.
        var post = await http.PostAsync($"socket.io/?EIO=4&transport=polling&sid={sid}", new StringContent("40"));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        using var poll = new HttpRequestMessage(HttpMethod.Get, $"socket.io/?EIO=4&transport=polling&sid={sid}");
        poll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        var reply = await http.SendAsync(poll);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.StartsWith("40{\"sid\"", await reply.Content.ReadAsStringAsync());
        var socket = Assert.Single(server.Io.Of("/").Sockets);
        Assert.Equal("alice", socket.User.Identity!.Name);
        Assert.Equal("id-alice", socket.UserId);
    }

    // Every namespace answers whoami (AuthTestServer); tell-user emits "for-user" to every socket of a user
    // (ToUser) and acks how many sockets its room held.
    private static Task<AuthTestServer> StartAsync() => AuthTestServer.StartAsync(configure: io => io.Of("/").OnConnection(socket =>
        socket.On("tell-user", async e =>
        {
            var target = e.Arguments.Get<string>(0)!;
            var sockets = await io.Of("/").In(SocketIOServer.UserRoom(target)).FetchSocketsAsync();
            io.ToUser(target).Emit("for-user", e.Arguments.Get<string>(1));
            e.Ack?.Send(sockets.Count);
        })));
}
