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

        // Each client gets its events in stream order: their offsets (entry ids) only grow. B's broadcast comes from
        // another connection to Redis, so where it falls between A's two is Redis's arrival order.
        var atA = await EventsAsync(onA, 2);
        var atB = await EventsAsync(onB, 3);
        Assert.Equal(["all 1", "all 2"], atA.Select(e => e.Text));
        Assert.Equal(["all 1", "all 2", "room <binary 0506>"], atB.Select(e => e.Text).Order(StringComparer.Ordinal));
        Assert.Equal(atA.Select(e => e.Offset), atB.Where(e => e.Text.StartsWith("all", StringComparison.Ordinal)).Select(e => e.Offset));
        foreach (var events in new[] { atA, atB })
        {
            Assert.Equal(events.Select(e => e.Offset), events.Select(e => e.Offset).Order(Comparer<string>.Create(StreamIds.Compare)));
        }
        Assert.Equal(2, await a.Io.Of("/").Adapter.ServerCountAsync());
    }

    /// <summary>The next <paramref name="count"/> events: name and arguments as text (binary as hex), and the offset.</summary>
    private static async Task<List<(string Text, string Offset)>> EventsAsync(SocketIORawClient client, int count)
    {
        var events = new List<(string, string)>();
        while (events.Count < count)
        {
            var text = await client.ReceiveTextAsync();
            var binary = text.StartsWith("451-", StringComparison.Ordinal) ? Convert.ToHexString((await client.ReceiveAsync()).Data) : null;
            var args = System.Text.Json.JsonDocument.Parse(text[text.IndexOf('[')..]).RootElement.EnumerateArray().ToList();
            var shown = args[1].ValueKind == System.Text.Json.JsonValueKind.Object ? $"<binary {binary}>" : args[1].GetRawText();
            events.Add(($"{args[0].GetString()} {shown}", args[^1].GetString()!));
        }
        return events;
    }

    [Fact]
    public async Task Cluster_operations_span_both_nodes_through_the_stream_and_pub_sub()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var a = await StartNodeAsync(redis);
        await using var b = await StartNodeAsync(redis);
        await WaitForNodesAsync(2, a, b);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        var (_, idA) = await onA.ConnectNamespaceAsync();
        await using var onB = await SocketIORawClient.OpenAsync(b);
        var (_, idB) = await onB.ConnectNamespaceAsync();
        b.Socket(idB).Data["name"] = "on-b";

        // fetchSockets (pub/sub request, answered on the requester's channel).
        var all = await a.Io.Sockets.FetchSocketsAsync();
        Assert.Equal(new[] { idA, idB }.Order(), all.Select(s => s.Id).Order());
        var remote = all.Single(s => s.Id == idB);
        Assert.Null(remote.Local);
        Assert.Equal("on-b", remote.Data.GetProperty("name").GetString());

        // socketsJoin / socketsLeave / disconnectSockets (stream entries).
        a.Io.Sockets.SocketsJoin("both");
        await SocketIOTestServer.WaitUntilAsync(() => b.Io.Of("/").Adapter.SocketRooms(idB).Contains("both"), "b's socket to join");
        a.Io.Sockets.In("both").SocketsLeave("both");
        await SocketIOTestServer.WaitUntilAsync(() => !b.Io.Of("/").Adapter.SocketRooms(idB).Contains("both"), "b's socket to leave");

        // A broadcast with acks (pub/sub, each node's client count and each answer sent back).
        var asking = a.Io.Sockets.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll", "p1");
        await RedisClusterTests.AnswerAsync(onA, "\"from-a\"");
        await RedisClusterTests.AnswerAsync(onB, "{\"from\":\"b\"}");
        Assert.Equal(["\"from-a\"", "{\"from\":\"b\"}"], (await asking).Select(r => r[0].GetRawText()).Order());

        // serverSideEmit, with and without answers.
        var atB = new System.Collections.Concurrent.ConcurrentQueue<string>();
        b.Io.Sockets.OnServerSideEmit("hello", e =>
        {
            atB.Enqueue(e.Arguments.GetRawText());
            e.Ack(new { from = "b" });
        });
        a.Io.Sockets.ServerSideEmit("hello", "no answer wanted");
        var answers = await a.Io.Sockets.ServerSideEmitWithAckAsync("hello", ["with", 2], TimeSpan.FromSeconds(5));
        Assert.Equal("""{"from":"b"}""", Assert.Single(answers).GetRawText());
        Assert.Equal(["""["no answer wanted"]""", """["with",2]"""], atB);

        a.Io.Sockets.In(idB).DisconnectSockets();
        Assert.Equal("41", await onB.ReceiveTextAsync());
        Assert.True(a.Socket(idA).Connected);
    }
}
