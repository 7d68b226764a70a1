using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// A C# node and a Node socket.io 4.8 server with @socket.io/redis-streams-adapter 0.3.1 (npm, pinned) on one real
/// redis-server, both with connection state recovery: broadcasts both ways (room and binary included), the cluster
/// operations both ways, and the official client recovering across them — from the C# node through the Node one, and
/// from the Node node through the C# one — with the events it missed.
/// </summary>
public sealed class MixedRedisStreamsClusterTests
{
    private static async Task<(RedisServerProcess Redis, SocketIOTestServer CSharp, NodePeerProcess Node)> StartAsync()
    {
        var redis = await RedisServerProcess.StartAsync();
        var csharp = await RedisStreamsClusterTests.StartNodeAsync(redis);
        var node = await NodePeerProcess.StartAsync("redis-cluster-peer.mjs", redis.Url, "streams");
        await RedisStreamsClusterTests.WaitForNodesAsync(2, csharp);
        return (redis, csharp, node);
    }

    [Fact]
    public async Task A_CSharp_node_and_a_Node_node_share_one_stream_broadcasts_and_cluster_operations()
    {
        var (redis, csharp, node) = await StartAsync();
        await using var _ = redis;
        await using var __ = csharp;
        await using var ___ = node;
        Assert.Equal(2, (await node.SendAsync(new { op = "serverCount" })).GetProperty("count").GetInt32());

        await using var client = await SocketIORawClient.OpenAsync(csharp);
        var (_, id) = await client.ConnectNamespaceAsync("/");
        await client.SendTextAsync("420[\"join\",\"r1\"]");
        Assert.Equal("430[]", await client.ReceiveTextAsync());
        var nodeClientId = (await node.SendAsync(new { op = "clientId" })).GetProperty("clientId").GetString()!;

        // Broadcasts both ways (Node → C# with binary: a base64 msgpack entry), each with its entry id as offset.
        await MixedClusterChecks.BroadcastsBothWaysAsync(csharp, node, client, withOffsets: true);

        // fetchSockets both ways; socketsJoin both ways.
        var fetched = (await node.SendAsync(new { op = "fetch" })).GetProperty("sockets").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(new[] { id, nodeClientId }.Order(), fetched.Keys.Order());
        Assert.Equal(new[] { id, "r1" }.Order(), fetched[id].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        var everyone = await csharp.Io.Sockets.FetchSocketsAsync();
        Assert.Equal(new[] { id, nodeClientId }.Order(), everyone.Select(s => s.Id).Order());
        await node.SendAsync(new { op = "join", rooms = new[] { "r1" }, room = "r3" });
        await SocketIOTestServer.WaitUntilAsync(() => csharp.Io.Of("/").Adapter.SocketRooms(id).Contains("r3"), "the C# socket to join r3");
        csharp.Io.Sockets.In(nodeClientId).SocketsJoin("from-csharp");
        await SocketIOTestServer.WaitUntilAsync(() => node.SendAsync(new { op = "fetch", rooms = new[] { "from-csharp" } }).Result
            .GetProperty("sockets").GetArrayLength() == 1, "the Node client to join the room");

        // Broadcasts with acks and server-side events, both ways.
        await MixedClusterChecks.AcksAndServerSideEventsBothWaysAsync(csharp, node, client);

        // Node's disconnectSockets (a stream entry) disconnects the C# socket.
        await node.SendAsync(new { op = "disconnect", rooms = new[] { id } });
        Assert.Equal("41", await client.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("csharp-to-node")]
    [InlineData("node-to-csharp")]
    public async Task The_official_client_recovers_across_a_CSharp_and_a_Node_node(string direction)
    {
        var (redis, csharp, node) = await StartAsync();
        await using var _ = redis;
        await using var __ = csharp;
        await using var ___ = node;
        var nodeUrl = $"http://127.0.0.1:{node.Ready.GetProperty("port").GetInt32()}/";
        var (from, to) = direction == "csharp-to-node" ? (csharp.BaseAddress.ToString(), nodeUrl) : (nodeUrl, csharp.BaseAddress.ToString());
        await using var client = await NodePeerProcess.StartAsync("recovering-client-peer.mjs");

        var first = await client.SendAsync(new { op = "connect", url = from, delay = 1500 });
        var id = first.GetProperty("socketId").GetString()!;
        await client.SendAsync(new { op = "join", room = "r1" });
        csharp.Io.Emit("before", 0);
        await WaitForEventAsync(client, "before");

        await client.SendAsync(new { op = "retarget", url = to });
        if (direction == "csharp-to-node")
        {
            csharp.CutConnections();
        }
        else
        {
            await node.SendAsync(new { op = "cut" });
        }
        Assert.Equal("transport close", (await client.SendAsync(new { op = "lost" })).GetProperty("reason").GetString());
        csharp.Io.To("r1").Emit("missed", 1, new byte[] { 1, 2 });
        await node.SendAsync(new { op = "emit", rooms = new[] { "r1" }, @event = "missed", args = new[] { 2 } });
        csharp.Io.To("elsewhere").Emit("not-for-it", 3);

        var back = await client.SendAsync(new { op = "reconnected" });
        Assert.Equal(id, back.GetProperty("socketId").GetString());
        Assert.True(back.GetProperty("recovered").GetBoolean(), back.ToString());
        var missed = new List<string>();
        await SocketIOTestServer.WaitUntilAsync(() =>
        {
            missed.AddRange(client.SendAsync(new { op = "received" }).Result.GetProperty("received").EnumerateArray()
                .Where(e => e.GetProperty("event").GetString() == "missed").Select(RedisStreamsRecoveryTests.Strip));
            return missed.Count >= 2;
        }, "the missed events");
        Assert.Equal(["""[1,{"$bin":[1,2]}]""", "[2]"], missed.Order(StringComparer.Ordinal));
        await Task.Delay(200);
        var later = (await client.SendAsync(new { op = "received" })).GetProperty("received").EnumerateArray();
        Assert.DoesNotContain(later, e => e.GetProperty("event").GetString() == "not-for-it");
    }

    private static async Task WaitForEventAsync(NodePeerProcess client, string name)
    {
        var deadline = DateTime.UtcNow + SocketIOTestServer.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await client.SendAsync(new { op = "received" })).GetProperty("received").EnumerateArray().Any(e => e.GetProperty("event").GetString() == name))
            {
                return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no {name} event at the client");
    }
}
