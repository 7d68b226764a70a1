using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis.Streams;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// Connection state recovery across nodes with the streams adapter and the official socket.io-client: the client's
/// connection to node A is cut and its own reconnection goes to node B (as a load balancer sends it elsewhere when a
/// node goes away); B gives it back its id, rooms and data, and the events it missed, from both nodes, in order.
/// </summary>
public sealed class RedisStreamsRecoveryTests
{
    [Fact]
    public async Task A_client_cut_from_one_node_recovers_through_the_other_with_what_it_missed()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var a = await RedisStreamsClusterTests.StartNodeAsync(redis);
        await using var b = await RedisStreamsClusterTests.StartNodeAsync(redis);
        await RedisStreamsClusterTests.WaitForNodesAsync(2, a, b);
        await using var client = await NodePeerProcess.StartAsync("recovering-client-peer.mjs");

        var first = await client.SendAsync(new { op = "connect", url = a.BaseAddress.ToString(), delay = 1500 });
        var id = first.GetProperty("socketId").GetString()!;
        await client.SendAsync(new { op = "join", room = "r1" });
        a.Socket(id).Data["k"] = "v";
        a.Io.Emit("before", 0);
        await ReceivedAsync(client, 2); // "auth" (the test server's greeting) and "before"

        await client.SendAsync(new { op = "retarget", url = b.BaseAddress.ToString() });
        a.CutConnections();
        Assert.Equal("transport close", (await client.SendAsync(new { op = "lost" })).GetProperty("reason").GetString());
        await SocketIOTestServer.WaitUntilAsync(() => a.Io.Of("/").FindSocket(id) is null, "node A to let the socket go");
        a.Io.To("r1").Emit("missed", 1, new byte[] { 1, 2 });
        b.Io.Emit("missed", 2);
        a.Io.To("other").Emit("not-for-it", 3);
        b.Io.Of("/").Except("r1").Emit("not-for-it", 4);

        var back = await client.SendAsync(new { op = "reconnected" });
        Assert.Equal(id, back.GetProperty("socketId").GetString());
        Assert.True(back.GetProperty("recovered").GetBoolean());
        // The missed events before the CONNECT reply, then what the connection handler sends a recovered socket too.
        var missed = await ReceivedAsync(client, 3);
        Assert.Equal(["missed", "missed", "auth"], missed.Select(e => e.GetProperty("event").GetString()));
        // From A and from B: between the two, the stream's order is the order Redis got them in.
        Assert.Equal(["""[1,{"$bin":[1,2]}]""", "[2]"], missed.Take(2).Select(Strip).Order(StringComparer.Ordinal));
        Assert.True(StreamIds.Compare(Offset(missed[0]), Offset(missed[1])) < 0, "the missed events come in stream order");

        // On B now, with its rooms and data; what either node sends next reaches it there, once.
        var socket = b.Io.Of("/").FindSocket(id);
        Assert.NotNull(socket);
        Assert.Contains("r1", socket.Rooms);
        Assert.Equal("v", ((JsonElement)socket.Data["k"]!).GetString());
        a.Io.To("r1").Emit("after", 5);
        var after = Assert.Single(await ReceivedAsync(client, 1));
        Assert.Equal("[5]", Strip(after));
    }

    /// <summary>Waits for <paramref name="count"/> more events (every event the client records, in order).</summary>
    internal static async Task<List<JsonElement>> ReceivedAsync(NodePeerProcess client, int count)
    {
        var events = new List<JsonElement>();
        var deadline = DateTime.UtcNow + SocketIOTestServer.Timeout;
        while (events.Count < count && DateTime.UtcNow < deadline)
        {
            events.AddRange((await client.SendAsync(new { op = "received" })).GetProperty("received").EnumerateArray().Select(e => e.Clone()));
            await Task.Delay(20);
        }
        await Task.Delay(100); // and nothing more
        events.AddRange((await client.SendAsync(new { op = "received" })).GetProperty("received").EnumerateArray().Select(e => e.Clone()));
        Assert.True(events.Count == count, $"expected {count} events, got: {string.Join(" ", events)}");
        return events;
    }

    private static string Offset(JsonElement received) => received.GetProperty("args").EnumerateArray().Last().GetString()!;

    /// <summary>The arguments without the offset the server appended last (a stream entry id).</summary>
    internal static string Strip(JsonElement received)
    {
        var args = received.GetProperty("args").EnumerateArray().ToList();
        Assert.Matches(@"^\d+-\d+$", args[^1].GetString());
        return JsonSerializer.Serialize(args[..^1]);
    }
}
