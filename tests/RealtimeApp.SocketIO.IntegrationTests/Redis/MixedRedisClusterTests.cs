using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// A C# node and a Node socket.io 4.8 server with @socket.io/redis-adapter 8.3 (npm, pinned) on one real
/// redis-server, plus a @socket.io/redis-emitter: broadcasts both ways (room and binary included), and the
/// Node server's cluster operations — fetchSockets, socketsJoin/Leave, allRooms, disconnectSockets,
/// serverCount — answered and applied by the C# node.
/// </summary>
public sealed class MixedRedisClusterTests
{
    [Fact]
    public async Task A_CSharp_node_and_a_Node_node_share_broadcasts_rooms_and_cluster_operations()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var csharp = await RedisClusterTests.StartNodeAsync(redis);
        await using var node = await NodePeerProcess.StartAsync("redis-cluster-peer.mjs", redis.Url);
        await RedisClusterTests.WaitForSubscriptionsAsync(2, csharp);
        Assert.Equal(2, (await node.SendAsync(new { op = "serverCount" })).GetProperty("count").GetInt32());

        await using var client = await SocketIORawClient.OpenAsync(csharp);
        var (_, id) = await client.ConnectNamespaceAsync("/");
        await client.SendTextAsync("420[\"join\",\"r1\"]");
        Assert.Equal("430[]", await client.ReceiveTextAsync());
        var nodeClientId = (await node.SendAsync(new { op = "clientId" })).GetProperty("clientId").GetString()!;

        // Broadcasts both ways; and from the emitter process.
        await MixedClusterChecks.BroadcastsBothWaysAsync(csharp, node, client);
        await node.SendAsync(new { op = "emitterEmit", rooms = new[] { "r1" }, @event = "from-emitter", args = new[] { "e" } });
        Assert.Equal("""42["from-emitter","e"]""", await client.ReceiveTextAsync());

        // Node's fetchSockets sees the C# socket with its rooms; allRooms includes the C# node's rooms.
        var fetched = (await node.SendAsync(new { op = "fetch" })).GetProperty("sockets").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(new[] { id, nodeClientId }.Order(), fetched.Keys.Order());
        Assert.Equal(new[] { id, "r1" }.Order(), fetched[id].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        var rooms = (await node.SendAsync(new { op = "allRooms" })).GetProperty("rooms").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("r1", rooms);
        Assert.Contains("r2", rooms);

        // Node's socketsJoin / socketsLeave reach the C# socket.
        await node.SendAsync(new { op = "join", rooms = new[] { "r1" }, room = "r3" });
        await SocketIOTestServer.WaitUntilAsync(() => csharp.Io.Of("/").Adapter.SocketRooms(id).Contains("r3"), "the C# socket to join r3");
        await node.SendAsync(new { op = "leave", rooms = new[] { "r3" }, room = "r1" });
        await SocketIOTestServer.WaitUntilAsync(() => !csharp.Io.Of("/").Adapter.SocketRooms(id).Contains("r1"), "the C# socket to leave r1");

        // The C# node's cluster operations reach the Node server's client.
        var everyone = await csharp.Io.Sockets.FetchSocketsAsync();
        Assert.Equal(new[] { id, nodeClientId }.Order(), everyone.Select(s => s.Id).Order());
        Assert.Equal(new[] { nodeClientId, "r2" }.Order(), everyone.Single(s => s.Id == nodeClientId).Rooms.Order());
        // Rooms on both nodes (the C# socket moved from r1 to r3 above; the Node client is in r2).
        Assert.Equal(new[] { id, "r3", nodeClientId, "r2" }.Order(), (await csharp.Io.Sockets.AllRoomsAsync()).Order());
        csharp.Io.Sockets.In(nodeClientId).SocketsJoin("from-csharp");
        await SocketIOTestServer.WaitUntilAsync(() => node.SendAsync(new { op = "fetch", rooms = new[] { "from-csharp" } }).Result
            .GetProperty("sockets").GetArrayLength() == 1, "the Node client to join the room");

        // Broadcasts with acks and server-side events, both ways.
        await MixedClusterChecks.AcksAndServerSideEventsBothWaysAsync(csharp, node, client);

        // Node's disconnectSockets disconnects the C# socket (a DISCONNECT packet, then the server side).
        await node.SendAsync(new { op = "disconnect", rooms = new[] { id } });
        Assert.Equal("41", await client.ReceiveTextAsync());
    }
}
