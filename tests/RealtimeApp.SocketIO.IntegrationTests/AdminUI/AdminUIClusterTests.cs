using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.AdminUI;

/// <summary>
/// Two nodes joined by the Redis adapter, as Node's instrument() with @socket.io/redis-adapter: a dashboard on
/// node A sees the sockets, events and statistics of node B, and its disconnect reaches B's client.
/// </summary>
public sealed class AdminUIClusterTests
{
    [Fact]
    public async Task A_dashboard_on_one_node_sees_and_acts_on_the_other()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var a = await StartNodeAsync(redis, "node-a");
        await using var b = await StartNodeAsync(redis, "node-b");

        var run = await NodeClient.RunAsync("admin-ui-client.mjs", a.BaseAddress.ToString(), "cluster", AdminUITestServer.Auth(),
            b.BaseAddress.ToString());

        run.AssertSucceeded();
        var remote = run.Named("client-connected").Single().GetProperty("id").GetString();
        var socket = AdminUITests.Admin(run, "all_sockets").Last()[0].EnumerateArray().Single(s => s.GetProperty("id").GetString() == remote);
        // clientId and transport travel in the socket's data (_admin), as Node's do, from node B.
        Assert.Equal("websocket", socket.GetProperty("transport").GetString());
        Assert.Equal(12, socket.GetProperty("clientId").GetString()!.Length);
        Assert.Equal("io server disconnect", run.Named("client-disconnect").Single().GetProperty("reason").GetString());
    }

    private static Task<SocketIOTestServer> StartNodeAsync(RedisServerProcess redis, string serverId) =>
        SocketIOTestServer.StartAsync(socketIO: s =>
        {
            s.AddRedisAdapter(o => o.Configuration = redis.Configuration);
            s.AddSocketIOAdminUI(o =>
            {
                o.Enabled = true;
                o.UserName = AdminUITestServer.UserName;
                o.PasswordHash = AdminUITestServer.PasswordHash;
                o.ServerId = serverId;
            });
        });
}
