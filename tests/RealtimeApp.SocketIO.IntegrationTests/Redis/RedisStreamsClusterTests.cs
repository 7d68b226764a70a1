using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO.Redis.Streams;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// Two C# nodes on one real redis-server with the streams adapter: broadcasts both ways, rooms, cluster operations,
/// and connection state recovery across nodes — a client that drops from one node and comes back through the other
/// gets its id, rooms, data and every event it missed.
/// </summary>
public sealed class RedisStreamsClusterTests
{
    internal static readonly TimeSpan RecoveryWindow = TimeSpan.FromMinutes(2);

    /// <summary>A C# node with the streams adapter and recovery on; heartbeats far apart, so raw clients that read nothing stay.</summary>
    internal static async Task<SocketIOTestServer> StartNodeAsync(RedisServerProcess redis)
    {
        var node = await SocketIOTestServer.StartAsync(
            configure: o => o.ConnectionStateRecovery = new() { MaxDisconnectionDuration = RecoveryWindow },
            configureEngine: e => (e.PingInterval, e.PingTimeout) = (TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)),
            socketIO: s => s.AddRedisAdapter(o => (o.Configuration, o.Mode) = (redis.Configuration, RedisAdapterMode.Streams)));
        await ReadyAsync(node, "/");
        return node;
    }

    /// <summary>Waits until the namespace's adapter is subscribed and its stream reader knows where the stream ends.</summary>
    internal static async Task ReadyAsync(SocketIOTestServer node, string nsp)
    {
        var adapter = (RedisStreamsAdapter)node.Io.Of(nsp).Adapter;
        await adapter.Subscribed.WaitAsync(SocketIOTestServer.Timeout);
        await adapter.Reader.Started.WaitAsync(SocketIOTestServer.Timeout);
    }

    internal static async Task WaitForNodesAsync(int count, params SocketIOTestServer[] nodes) =>
        await SocketIOTestServer.WaitUntilAsync(
            () => nodes.All(n => n.Io.Of("/").Adapter.ServerCountAsync().AsTask().GetAwaiter().GetResult() == count),
            $"{count} nodes on the public channel");

    [Fact]
    public async Task Broadcasts_reach_both_nodes_in_stream_order_with_entry_ids_as_offsets()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var a = await StartNodeAsync(redis);
        await using var b = await StartNodeAsync(redis);
        await WaitForNodesAsync(2, a, b);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        await onA.ConnectNamespaceAsync();
        await using var onB = await SocketIORawClient.OpenAsync(b);
        var (_, idB) = await onB.ConnectNamespaceAsync();
        b.Socket(idB).Join("r");

        a.Io.Emit("all", 1);
        b.Io.To("r").Emit("room", new byte[] { 5, 6 });
        a.Io.Emit("all", 2);

        foreach (var client in new[] { onA, onB })
        {
            var first = await client.ReceiveTextAsync();
            Assert.Matches("""^42\["all",1,"\d+-\d+"\]$""", first);
            if (client == onB)
            {
                Assert.Matches("""^451-\["room",\{"_placeholder":true,"num":0\},"\d+-\d+"\]$""", await client.ReceiveTextAsync());
                Assert.Equal([5, 6], (await client.ReceiveAsync()).Data);
            }
            Assert.Matches("""^42\["all",2,"\d+-\d+"\]$""", await client.ReceiveTextAsync());
        }
        Assert.Equal(2, await a.Io.Of("/").Adapter.ServerCountAsync());
    }
}
