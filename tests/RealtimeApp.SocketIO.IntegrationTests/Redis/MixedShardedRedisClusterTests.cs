using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// A C# node and a Node socket.io 4.8 server with <c>createShardedAdapter</c> of @socket.io/redis-adapter 8.3 (npm,
/// pinned; a node-redis 4.7 cluster client) on one real Redis Cluster of three masters: broadcasts both ways (to
/// everyone with binary, and to a room through its own channel), fetchSockets, serverSideEmit with answers and
/// broadcasts with acks both ways, socketsJoin/Leave and disconnectSockets both ways.
/// </summary>
public sealed class MixedShardedRedisClusterTests
{
    [Fact]
    public async Task A_CSharp_node_and_a_Node_node_share_broadcasts_rooms_and_cluster_operations_on_a_Redis_Cluster()
    {
        await using var cluster = await RedisClusterProcess.StartAsync();
        await using var csharp = await ShardedRedisClusterTests.StartNodeAsync(cluster.Configuration);
        await using var node = await NodePeerProcess.StartAsync("redis-cluster-peer.mjs", cluster.Urls, "sharded");
        await ShardedRedisClusterTests.WaitForNodesAsync(2, csharp);
        await SocketIOTestServer.WaitUntilAsync(() => node.SendAsync(new { op = "serverCount" }).Result.GetProperty("count").GetInt32() == 2,
            "the Node server to count both nodes");

        await using var client = await SocketIORawClient.OpenAsync(csharp);
        var (_, id) = await client.ConnectNamespaceAsync("/");
        await client.SendTextAsync("420[\"join\",\"r1\"]");
        Assert.Equal("430[]", await client.ReceiveTextAsync());
        var nodeClientId = (await node.SendAsync(new { op = "clientId" })).GetProperty("clientId").GetString()!;
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(csharp, "r1", 1);

        // Node → C#: to a room (its own channel), with binary (msgpack on the wire); to everyone.
        await node.SendAsync(new { op = "emit", rooms = new[] { "r1" }, @event = "from-node",
            args = JsonSerializer.Deserialize<JsonElement>("""[1,{"$bin":[1,2]}]""") });
        Assert.Equal("""451-["from-node",1,{"_placeholder":true,"num":0}]""", await client.ReceiveTextAsync());
        Assert.Equal([1, 2], (await client.ReceiveAsync()).Data);
        await node.SendAsync(new { op = "emit", @event = "everyone", args = new[] { "from node" } });
        Assert.Equal("""42["everyone","from node"]""", await client.ReceiveTextAsync());

        // C# → Node: to everyone with binary, then to a room the Node client joined (Node subscribes to its channel).
        await node.SendAsync(new { op = "clientJoin", room = "r2" });
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(csharp, "r2", 1);
        csharp.Io.Emit("from-csharp", "x", new byte[] { 9, 8 });
        csharp.Io.To("r2").Emit("room-cs", 5);
        csharp.Io.To("r1").Emit("not-for-node", 0);
        csharp.Io.To(nodeClientId).Emit("direct", "to the Node client");
        var received = new List<string>();
        await SocketIOTestServer.WaitUntilAsync(() =>
        {
            received.AddRange(node.SendAsync(new { op = "received" }).Result.GetProperty("received").EnumerateArray().Select(e => e.GetRawText()));
            return received.Count >= 4;
        }, "the Node client to receive the C# broadcasts");
        // Different channels may live on different shards: no order between them. (The Node client got its own
        // server's broadcast to everyone too.)
        Assert.Equal(new[]
        {
            """{"event":"everyone","args":["from node"]}""",
            """{"event":"from-csharp","args":["x",{"$bin":[9,8]}]}""",
            """{"event":"room-cs","args":[5]}""",
            """{"event":"direct","args":["to the Node client"]}""",
        }.Order(), received.Order());
        Assert.Equal("""451-["from-csharp","x",{"_placeholder":true,"num":0}]""", await client.ReceiveTextAsync());
        Assert.Equal([9, 8], (await client.ReceiveAsync()).Data);
        Assert.Equal("""42["not-for-node",0]""", await client.ReceiveTextAsync());

        // fetchSockets, both ways.
        var fetched = (await node.SendAsync(new { op = "fetch" })).GetProperty("sockets").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(new[] { id, nodeClientId }.Order(), fetched.Keys.Order());
        Assert.Equal(new[] { id, "r1" }.Order(), fetched[id].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        var everyone = await csharp.Io.Sockets.FetchSocketsAsync();
        Assert.Equal(new[] { id, nodeClientId }.Order(), everyone.Select(s => s.Id).Order());
        Assert.Equal(new[] { nodeClientId, "r2" }.Order(), everyone.Single(s => s.Id == nodeClientId).Rooms.Order());

        // socketsJoin / socketsLeave, both ways.
        await node.SendAsync(new { op = "join", rooms = new[] { "r1" }, room = "r3" });
        await SocketIOTestServer.WaitUntilAsync(() => csharp.Io.Of("/").Adapter.SocketRooms(id).Contains("r3"), "the C# socket to join r3");
        await node.SendAsync(new { op = "leave", rooms = new[] { "r3" }, room = "r1" });
        await SocketIOTestServer.WaitUntilAsync(() => !csharp.Io.Of("/").Adapter.SocketRooms(id).Contains("r1"), "the C# socket to leave r1");
        await ShardedRedisClusterTests.WaitForRoomSubscribersAsync(csharp, "r1", 0);
        csharp.Io.Sockets.In(nodeClientId).SocketsJoin("from-csharp");
        await SocketIOTestServer.WaitUntilAsync(() => node.SendAsync(new { op = "fetch", rooms = new[] { "from-csharp" } }).Result
            .GetProperty("sockets").GetArrayLength() == 1, "the Node client to join the room");
        csharp.Io.Sockets.In(nodeClientId).SocketsLeave("from-csharp");
        await SocketIOTestServer.WaitUntilAsync(() => node.SendAsync(new { op = "fetch", rooms = new[] { "from-csharp" } }).Result
            .GetProperty("sockets").GetArrayLength() == 0, "the Node client to leave the room");

        // Broadcasts with acks and server-side events, both ways.
        await MixedClusterChecks.AcksAndServerSideEventsBothWaysAsync(csharp, node, client);

        // disconnectSockets, both ways: the C# node's reaches the Node client, Node's the C# socket.
        csharp.Io.Sockets.In(nodeClientId).DisconnectSockets();
        await SocketIOTestServer.WaitUntilAsync(() => node.SendAsync(new { op = "fetch", rooms = new[] { nodeClientId } }).Result
            .GetProperty("sockets").GetArrayLength() == 0, "the Node client to be disconnected");
        await node.SendAsync(new { op = "disconnect", rooms = new[] { id } });
        Assert.Equal("41", await client.ReceiveTextAsync());
    }
}
