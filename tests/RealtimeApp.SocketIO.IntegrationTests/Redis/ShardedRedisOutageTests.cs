using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// The sharded adapter when Redis is away (a standalone redis-server 7, stopped and started again): a node started
/// before Redis joins when it comes, and rooms created or dropped during an outage are subscribed, or not, once it
/// is back — each exactly once.
/// </summary>
public sealed class ShardedRedisOutageTests
{
    [Fact]
    public async Task A_node_started_while_Redis_is_down_serves_its_clients_and_joins_the_cluster_when_Redis_comes()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await redis.StopAsync();
        await using var a = await ShardedRedisClusterTests.StartNodeAsync(redis.Configuration, subscribed: false);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        var (_, idA) = await onA.ConnectNamespaceAsync();
        a.Socket(idA).Join("room-a");
        a.Io.Emit("alone", 1);
        Assert.Equal("""42["alone",1]""", await onA.ReceiveTextAsync());

        await redis.StartAgainAsync();
        await using var b = await ShardedRedisClusterTests.StartNodeAsync(redis.Configuration);
        await ShardedRedisClusterTests.WaitForNodesAsync(2, TimeSpan.FromSeconds(30), a, b);
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(b, "room-a", 1);
        b.Io.To("room-a").Emit("together", 2);
        Assert.Equal("""42["together",2]""", await onA.ReceiveTextAsync());
    }

    [Fact]
    public async Task Rooms_joined_or_left_while_Redis_is_away_are_subscribed_once_or_not_at_all_when_it_returns()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var a = await ShardedRedisClusterTests.StartNodeAsync(redis.Configuration);
        await using var b = await ShardedRedisClusterTests.StartNodeAsync(redis.Configuration);
        await ShardedRedisClusterTests.WaitForNodesAsync(2, a, b);
        await using var onB = await SocketIORawClient.OpenAsync(b);
        var (_, idB) = await onB.ConnectNamespaceAsync();
        b.Socket(idB).Join("before");
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(a, "before", 1);

        await redis.StopAsync();
        await SocketIOTestServer.WaitUntilAsync(() => !ShardedRedisClusterTests.Adapter(b).IsConnected, "b to see Redis go");
        b.Socket(idB).Join("during", "gone");
        b.Socket(idB).Leave("gone");
        b.Socket(idB).Leave("before");
        b.Socket(idB).Join("before"); // dropped and made again while the first subscription may still be pending
        await Task.Delay(500);
        await redis.StartAgainAsync();

        await ShardedRedisClusterTests.WaitForNodesAsync(2, TimeSpan.FromSeconds(30), a, b);
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(a, "during", 1);
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(a, "before", 1);
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(a, "gone", 0);
        Assert.Equal(["before", "during"], ShardedRedisClusterTests.Adapter(b).SubscribedRooms.Order(StringComparer.Ordinal));
        a.Io.To("during").Emit("room", 1);
        a.Io.To("before").Emit("room", 2);
        // Each channel is handled in order, but two channels are not ordered with respect to each other.
        string[] received = [await onB.ReceiveTextAsync(), await onB.ReceiveTextAsync()];
        Assert.Equal(["""42["room",1]""", """42["room",2]"""], received.Order(StringComparer.Ordinal));
        await Task.Delay(500);
        a.Io.To(idB).Emit("marker", 3);
        Assert.Equal("""42["marker",3]""", await onB.ReceiveTextAsync()); // each room message came once
    }
}
