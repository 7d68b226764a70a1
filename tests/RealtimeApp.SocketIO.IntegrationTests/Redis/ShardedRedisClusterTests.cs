using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO.Redis.Sharded;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// Two C# nodes in sharded mode on a real Redis Cluster of three masters (started per test): broadcasts both ways
/// to everyone, to a room (its own channel, on whichever shard owns it) and to a socket, with binary; the rooms
/// whose channels each subscription mode subscribes; fetchSockets, socketsJoin/Leave, disconnectSockets,
/// serverSideEmit with answers and a broadcast with acks across the nodes; and a master killed and started again.
/// </summary>
public sealed class ShardedRedisClusterTests
{
    /// <summary>A C# node in sharded mode on <paramref name="configuration"/>; heartbeats far apart, so raw clients that read nothing stay.</summary>
    /// <param name="subscribed">Whether to wait for the namespace's subscriptions (not while Redis is down).</param>
    internal static async Task<SocketIOTestServer> StartNodeAsync(string configuration,
        RedisSubscriptionMode subscriptionMode = RedisSubscriptionMode.Dynamic, bool subscribed = true)
    {
        var node = await SocketIOTestServer.StartAsync(
            configureEngine: e => (e.PingInterval, e.PingTimeout) = (TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)),
            socketIO: s => s.AddRedisAdapter(o => (o.Configuration, o.Mode, o.SubscriptionMode) = (configuration, RedisAdapterMode.Sharded, subscriptionMode)));
        if (subscribed)
        {
            await Adapter(node).Subscribed.WaitAsync(SocketIOTestServer.Timeout);
        }
        return node;
    }

    internal static ShardedRedisAdapter Adapter(SocketIOTestServer node) => (ShardedRedisAdapter)node.Io.Of("/").Adapter;

    /// <summary>Waits until every node counts <paramref name="count"/> nodes on the namespace channel (over every master).</summary>
    internal static Task WaitForNodesAsync(int count, params SocketIOTestServer[] nodes) =>
        WaitForNodesAsync(count, SocketIOTestServer.Timeout, nodes);

    internal static Task WaitForNodesAsync(int count, TimeSpan timeout, params SocketIOTestServer[] nodes) =>
        SocketIOTestServer.WaitUntilAsync(() => nodes.All(n => Count(() => n.Io.Of("/").Adapter.ServerCountAsync().AsTask()) == count),
            $"{count} nodes on the namespace channel", timeout);

    /// <summary>Waits until <paramref name="count"/> clients subscribe to <paramref name="room"/>'s channel of "/" (Node's peers included).</summary>
    internal static Task WaitForRoomSubscribersAsync(SocketIOTestServer asking, string room, int count) =>
        SocketIOTestServer.WaitUntilAsync(() => Count(() => Adapter(asking).ShardSubscriberCountAsync($"socket.io#/#{room}#")) == count,
            $"{count} subscribers of room {room}'s channel");

    private static long Count<T>(Func<Task<T>> count) where T : IConvertible
    {
        try
        {
            return Convert.ToInt64(count().GetAwaiter().GetResult(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (StackExchange.Redis.RedisException)
        {
            return -1; // a master not reachable (yet)
        }
    }

    /// <summary>
    /// A Redis Cluster of three masters and two C# nodes on it, both subscribed, and the clients of
    /// <see cref="ConnectClientsAsync"/>; disposed in reverse order.
    /// </summary>
    private sealed class TwoNodes : IAsyncDisposable
    {
        private readonly List<SocketIORawClient> _clients = [];

        public required RedisClusterProcess Cluster { get; init; }
        public required SocketIOTestServer A { get; init; }
        public required SocketIOTestServer B { get; init; }

        public static async Task<TwoNodes> StartAsync(RedisSubscriptionMode subscriptionMode = RedisSubscriptionMode.Dynamic)
        {
            var cluster = await RedisClusterProcess.StartAsync();
            var a = await StartNodeAsync(cluster.Configuration, subscriptionMode);
            var b = await StartNodeAsync(cluster.Configuration, subscriptionMode);
            await WaitForNodesAsync(2, a, b);
            return new TwoNodes { Cluster = cluster, A = a, B = b };
        }

        /// <summary>A raw client on "/" of each node (closed with the nodes, before them).</summary>
        public async Task<(SocketIORawClient OnA, string IdA, SocketIORawClient OnB, string IdB)> ConnectClientsAsync()
        {
            var (onA, idA) = await ConnectAsync(A);
            var (onB, idB) = await ConnectAsync(B);
            return (onA, idA, onB, idB);
        }

        private async Task<(SocketIORawClient Client, string Id)> ConnectAsync(SocketIOTestServer node)
        {
            var client = await SocketIORawClient.OpenAsync(node);
            _clients.Add(client);
            var (_, id) = await client.ConnectNamespaceAsync();
            return (client, id);
        }

        public async ValueTask DisposeAsync()
        {
            for (var i = _clients.Count - 1; i >= 0; i--)
            {
                await _clients[i].DisposeAsync();
            }
            await B.DisposeAsync();
            await A.DisposeAsync();
            await Cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Broadcasts_to_everyone_to_a_room_and_to_a_socket_reach_the_other_node_both_ways_with_binary()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (a, b) = (nodes.A, nodes.B);
        var (onA, idA, onB, idB) = await nodes.ConnectClientsAsync();
        a.Socket(idA).Join("room-a");
        b.Socket(idB).Join("room-b");
        // Dynamic mode: each node subscribes to the channel of the public room it has members of, not of socket ids.
        Assert.Equal(["room-a"], Adapter(a).SubscribedRooms);
        Assert.Equal(["room-b"], Adapter(b).SubscribedRooms);
        await WaitForRoomSubscribersAsync(a, "room-a", 1);
        await WaitForRoomSubscribersAsync(a, "room-b", 1);

        b.Io.Emit("everyone", "from-b");
        Assert.Equal("""42["everyone","from-b"]""", await onA.ReceiveTextAsync());
        Assert.Equal("""42["everyone","from-b"]""", await onB.ReceiveTextAsync());
        a.Io.Emit("everyone", "from-a", new byte[] { 1, 2 });
        foreach (var client in new[] { onA, onB })
        {
            Assert.Equal("""451-["everyone","from-a",{"_placeholder":true,"num":0}]""", await client.ReceiveTextAsync());
            Assert.Equal([1, 2], (await client.ReceiveAsync()).Data);
        }

        // To a room of the other node (its own channel), with binary, both ways; a room nobody is in reaches no one.
        a.Io.To("nobody-here").Emit("lost", 0);
        a.Io.To("room-b").Emit("room", 1, new byte[] { 3, 4, 5 });
        Assert.Equal("""451-["room",1,{"_placeholder":true,"num":0}]""", await onB.ReceiveTextAsync());
        Assert.Equal([3, 4, 5], (await onB.ReceiveAsync()).Data);
        b.Io.To("room-a").Emit("room", 2, new byte[] { 6 });
        Assert.Equal("""451-["room",2,{"_placeholder":true,"num":0}]""", await onA.ReceiveTextAsync());
        Assert.Equal([6], (await onA.ReceiveAsync()).Data);

        // To a socket id (the namespace channel), to several rooms, except a room, local only.
        a.Io.To(idB).Emit("direct", "to b");
        Assert.Equal("""42["direct","to b"]""", await onB.ReceiveTextAsync());
        b.Io.To("room-a", "room-b").Emit("two-rooms", 3);
        Assert.Equal("""42["two-rooms",3]""", await onA.ReceiveTextAsync());
        Assert.Equal("""42["two-rooms",3]""", await onB.ReceiveTextAsync());
        b.Io.Sockets.Local.Emit("local", "only on b");
        a.Io.Sockets.Except("room-b").Emit("except", "not for room-b");
        Assert.Equal("""42["local","only on b"]""", await onB.ReceiveTextAsync());
        Assert.Equal("""42["except","not for room-b"]""", await onA.ReceiveTextAsync());
        a.Io.To(idB).Emit("marker", 4);
        Assert.Equal("""42["marker",4]""", await onB.ReceiveTextAsync());

        // The last member leaving a room ends its channel's subscription.
        b.Socket(idB).Leave("room-b");
        Assert.Empty(Adapter(b).SubscribedRooms);
        await WaitForRoomSubscribersAsync(a, "room-b", 0);
        Assert.Equal(2, await b.Io.Of("/").Adapter.ServerCountAsync());
    }

    [Theory]
    [InlineData(RedisSubscriptionMode.Static)]
    [InlineData(RedisSubscriptionMode.DynamicPrivate)]
    public async Task The_other_subscription_modes_subscribe_no_room_or_every_room_and_still_deliver(RedisSubscriptionMode mode)
    {
        await using var nodes = await TwoNodes.StartAsync(mode);
        var (a, b) = (nodes.A, nodes.B);
        await using var onB = await SocketIORawClient.OpenAsync(b);
        var (_, idB) = await onB.ConnectNamespaceAsync();
        b.Socket(idB).Join("room-b");
        string[] expected = mode == RedisSubscriptionMode.Static ? [] : [idB, "room-b"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Adapter(b).SubscribedRooms.Order(StringComparer.Ordinal));
        await WaitForRoomSubscribersAsync(a, "room-b", expected.Length == 0 ? 0 : 1);
        await WaitForRoomSubscribersAsync(a, idB, expected.Length == 0 ? 0 : 1);

        a.Io.To("room-b").Emit("room", 1);
        Assert.Equal("""42["room",1]""", await onB.ReceiveTextAsync());
        a.Io.To(idB).Emit("direct", new byte[] { 7 });
        Assert.Equal("""451-["direct",{"_placeholder":true,"num":0}]""", await onB.ReceiveTextAsync());
        Assert.Equal([7], (await onB.ReceiveAsync()).Data);

        await onB.DisposeAsync();
        await b.WaitForDisconnectAsync(idB);
        Assert.Empty(Adapter(b).SubscribedRooms);
    }

    [Fact]
    public async Task FetchSockets_SocketsJoin_SocketsLeave_serverSideEmit_acks_and_DisconnectSockets_span_both_nodes()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (a, b) = (nodes.A, nodes.B);
        var (onA, idA, onB, idB) = await nodes.ConnectClientsAsync();
        b.Socket(idB).Data["name"] = "on-b";
        b.Socket(idB).Join("room-b");

        // fetchSockets (the request on the namespace channel, each answer on the requester's channel).
        var all = await a.Io.Sockets.FetchSocketsAsync();
        Assert.Equal(new[] { idA, idB }.Order(), all.Select(s => s.Id).Order());
        var remote = all.Single(s => s.Id == idB);
        Assert.Null(remote.Local);
        Assert.Equal("on-b", remote.Data.GetProperty("name").GetString());
        Assert.Equal(new[] { idB, "room-b" }.Order(), remote.Rooms.Order());
        Assert.Equal([idB], (await a.Io.Sockets.In("room-b").FetchSocketsAsync()).Select(s => s.Id));

        // socketsJoin / socketsLeave: a room joined through the cluster gets its channel too.
        a.Io.Sockets.SocketsJoin("both");
        await SocketIOTestServer.WaitUntilAsync(() => b.Io.Of("/").Adapter.SocketRooms(idB).Contains("both"), "b's socket to join");
        Assert.Contains("both", Adapter(b).SubscribedRooms);
        await WaitForRoomSubscribersAsync(a, "both", 2);
        a.Io.To("both").Emit("in-both", 1);
        Assert.Equal("""42["in-both",1]""", await onA.ReceiveTextAsync());
        Assert.Equal("""42["in-both",1]""", await onB.ReceiveTextAsync());
        a.Io.Sockets.In("both").SocketsLeave("both");
        await SocketIOTestServer.WaitUntilAsync(() => !b.Io.Of("/").Adapter.SocketRooms(idB).Contains("both"), "b's socket to leave");
        await WaitForRoomSubscribersAsync(a, "both", 0);

        // A broadcast with acks (the namespace channel: every node counts its clients; answers to the requester).
        var asking = a.Io.Sockets.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll", "p1");
        await RedisClusterTests.AnswerAsync(onA, "\"from-a\"");
        await RedisClusterTests.AnswerAsync(onB, "{\"from\":\"b\",\"bin\":false}");
        Assert.Equal(["\"from-a\"", "{\"from\":\"b\",\"bin\":false}"], (await asking).Select(r => r[0].GetRawText()).Order());

        // serverSideEmit, with and without answers, both ways.
        var atB = new System.Collections.Concurrent.ConcurrentQueue<string>();
        b.Io.Sockets.OnServerSideEmit("hello", e =>
        {
            atB.Enqueue(e.Arguments.GetRawText());
            e.Ack(new { from = "b" });
        });
        a.Io.Sockets.OnServerSideEmit("hello", e => e.Ack(new { from = "a" }));
        a.Io.Sockets.ServerSideEmit("hello", "no answer wanted");
        var answers = await a.Io.Sockets.ServerSideEmitWithAckAsync("hello", ["with", 2], TimeSpan.FromSeconds(5));
        Assert.Equal("""{"from":"b"}""", Assert.Single(answers).GetRawText());
        Assert.Equal(["""["no answer wanted"]""", """["with",2]"""], atB);
        Assert.Equal("""{"from":"a"}""", Assert.Single(await b.Io.Sockets.ServerSideEmitWithAckAsync("hello", [], TimeSpan.FromSeconds(5))).GetRawText());

        a.Io.Sockets.In(idB).DisconnectSockets();
        Assert.Equal("41", await onB.ReceiveTextAsync());
        Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await b.WaitForDisconnectAsync(idB));
        Assert.True(a.Socket(idA).Connected);
        Assert.Empty(Adapter(b).SubscribedRooms);
    }

    [Fact]
    public async Task A_master_killed_and_started_again_leaves_both_nodes_able_to_broadcast()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (cluster, a, b) = (nodes.Cluster, nodes.A, nodes.B);
        var (onA, idA, onB, idB) = await nodes.ConnectClientsAsync();
        b.Socket(idB).Join("room-b");
        await WaitForRoomSubscribersAsync(a, "room-b", 1);

        // The master that carries the namespace channel (every broadcast and request goes there) goes away.
        var master = await cluster.NodeServingAsync("socket.io#/#");
        await cluster.StopNodeAsync(master);
        a.Io.Emit("during", "local delivery goes on");
        Assert.Equal("""42["during","local delivery goes on"]""", await onA.ReceiveTextAsync());
        await Task.Delay(1000);
        await cluster.StartNodeAgainAsync(master);

        // Each node reconnects to it and subscribes again; Redis counting both nodes again means both are back.
        await WaitForNodesAsync(2, TimeSpan.FromSeconds(30), a, b);
        await WaitForRoomSubscribersAsync(a, "room-b", 1);
        a.Io.Emit("after", "restart");
        Assert.Equal("""42["after","restart"]""", await onA.ReceiveTextAsync());
        // What was published during the outage may be lost, or (written before the client saw the node go) reach
        // b once the node is back.
        var first = await onB.ReceiveTextAsync();
        if (first == """42["during","local delivery goes on"]""")
        {
            first = await onB.ReceiveTextAsync();
        }
        Assert.Equal("""42["after","restart"]""", first);
        b.Io.Emit("back", "from b");
        Assert.Equal("""42["back","from b"]""", await onA.ReceiveTextAsync());
        Assert.Equal("""42["back","from b"]""", await onB.ReceiveTextAsync());
        a.Io.To("room-b").Emit("room", 1);
        Assert.Equal("""42["room",1]""", await onB.ReceiveTextAsync());
        Assert.Equal(new[] { idA, idB }.Order(), (await b.Io.Sockets.FetchSocketsAsync()).Select(s => s.Id).Order());
    }
}
