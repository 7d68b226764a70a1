using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// Two C# nodes on one real redis-server (started per test): what is emitted on one reaches the clients of
/// the other — to everyone, to a room, with binary — and a local-only emit stays on its node.
/// </summary>
public sealed class RedisClusterTests
{
    internal static Task<SocketIOTestServer> StartNodeAsync(RedisServerProcess redis) =>
        SocketIOTestServer.StartAsync(socketIO: s => s.AddRedisAdapter(o => o.Configuration = redis.Configuration));

    /// <summary>Waits until each C# node is subscribed and Redis counts <paramref name="nodeCount"/> nodes.</summary>
    internal static async Task WaitForSubscriptionsAsync(int nodeCount, params SocketIOTestServer[] nodes)
    {
        foreach (var node in nodes)
        {
            await ((RedisAdapter)node.Io.Of("/").Adapter).Subscribed;
        }
        await SocketIOTestServer.WaitUntilAsync(
            () => nodes.All(n => n.Io.Of("/").Adapter.ServerCountAsync().AsTask().Result == nodeCount),
            "every node to be subscribed");
    }

    [Fact]
    public async Task A_broadcast_on_one_node_reaches_clients_of_the_other_by_namespace_and_by_room()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var a = await StartNodeAsync(redis);
        await using var b = await StartNodeAsync(redis);
        await WaitForSubscriptionsAsync(2, a, b);
        await using var client = await SocketIORawClient.OpenAsync(a);
        var (_, id) = await client.ConnectNamespaceAsync("/");
        await client.SendTextAsync("420[\"join\",\"r1\"]");
        Assert.Equal("430[]", await client.ReceiveTextAsync());

        b.Io.Emit("everyone", "from-b");
        Assert.Equal("""42["everyone","from-b"]""", await client.ReceiveTextAsync());

        b.Io.To("r1").Emit("room", 1, new byte[] { 1, 2, 3 });
        Assert.Equal("""451-["room",1,{"_placeholder":true,"num":0}]""", await client.ReceiveTextAsync());
        var attachment = await client.ReceiveAsync();
        Assert.Equal([1, 2, 3], attachment.Data);

        b.Io.To("not-joined").Emit("room", 2);
        b.Io.Sockets.Local.Emit("local", "only on b");
        b.Io.Sockets.Except("r1").Emit("except", "not for r1");
        b.Io.To(id).Emit("direct", "by id");
        Assert.Equal("""42["direct","by id"]""", await client.ReceiveTextAsync());
        Assert.Equal(2, await b.Io.Of("/").Adapter.ServerCountAsync());
    }
}
