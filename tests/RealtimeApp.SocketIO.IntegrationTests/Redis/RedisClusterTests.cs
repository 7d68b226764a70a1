using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// Two C# nodes on one real redis-server (started per test): what is emitted on one reaches the clients of
/// the other — to everyone, to a room, with binary — and a local-only emit stays on its node.
/// </summary>
public sealed class RedisClusterTests
{
    /// <summary>A C# node on <paramref name="redis"/>; heartbeats far apart, so raw clients that read nothing for a while stay.</summary>
    internal static Task<SocketIOTestServer> StartNodeAsync(RedisServerProcess redis) =>
        SocketIOTestServer.StartAsync(configure: o => o.ShutdownEvent = "shutdown",
            configureEngine: e => (e.PingInterval, e.PingTimeout) = (TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)),
            socketIO: s => s.AddRedisAdapter(o => o.Configuration = redis.Configuration));

    /// <summary>A real redis-server and two C# nodes on it, both subscribed; disposed in reverse order.</summary>
    private sealed class TwoNodes : IAsyncDisposable
    {
        public required RedisServerProcess Redis { get; init; }
        public required SocketIOTestServer A { get; init; }
        public required SocketIOTestServer B { get; init; }

        public static async Task<TwoNodes> StartAsync()
        {
            var redis = await RedisServerProcess.StartAsync();
            var a = await StartNodeAsync(redis);
            var b = await StartNodeAsync(redis);
            await WaitForSubscriptionsAsync(2, a, b);
            return new TwoNodes { Redis = redis, A = a, B = b };
        }

        public async ValueTask DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }

    /// <summary>Waits until each C# node is subscribed and Redis counts <paramref name="nodeCount"/> nodes.</summary>
    internal static async Task WaitForSubscriptionsAsync(int nodeCount, params SocketIOTestServer[] nodes) =>
        await WaitForSubscriptionsAsync(nodeCount, SocketIOTestServer.Timeout, nodes);

    internal static async Task WaitForSubscriptionsAsync(int nodeCount, TimeSpan timeout, params SocketIOTestServer[] nodes)
    {
        foreach (var node in nodes)
        {
            await ((RedisAdapter)node.Io.Of("/").Adapter).Subscribed;
        }
        await SocketIOTestServer.WaitUntilAsync(() => nodes.All(n => ServerCount(n) == nodeCount), "every node to be subscribed", timeout);
    }

    private static int ServerCount(SocketIOTestServer node)
    {
        try
        {
            return node.Io.Of("/").Adapter.ServerCountAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            return 0; // not reconnected yet
        }
    }

    [Fact]
    public async Task A_node_shutting_down_tells_only_its_own_clients()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var leaving = await StartNodeAsync(cluster.Redis);
        await WaitForSubscriptionsAsync(3, leaving);
        await using var staying = await SocketIORawClient.OpenAsync(cluster.A);
        await staying.ConnectNamespaceAsync();
        await using var told = await SocketIORawClient.OpenAsync(leaving);
        await told.ConnectNamespaceAsync();

        await leaving.DisposeAsync();

        Assert.Equal(["""42["shutdown","server shutting down"]"""], (await told.ReceiveUntilClosedAsync()).Select(f => f.Text));
        // The next frame on the other node answers this event: no shutdown event came in between.
        await staying.SendTextAsync("""421["message-with-ack","still here"]""");
        Assert.Equal("""431["still here"]""", await staying.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_broadcast_on_one_node_reaches_clients_of_the_other_by_namespace_and_by_room()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var (a, b) = (cluster.A, cluster.B);
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

    [Fact]
    public async Task FetchSockets_SocketsJoin_SocketsLeave_and_DisconnectSockets_span_both_nodes()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var (a, b) = (cluster.A, cluster.B);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        var (_, idA) = await onA.ConnectNamespaceAsync("/");
        await using var onB = await SocketIORawClient.OpenAsync(b);
        var (_, idB) = await onB.ConnectNamespaceAsync("/");
        b.Socket(idB).Data["name"] = "on-b";

        var all = await a.Io.Sockets.To(idA, idB).FetchSocketsAsync();
        Assert.Equal(new[] { idA, idB }.Order(), all.Select(s => s.Id).Order());
        var remote = all.Single(s => s.Id == idB);
        Assert.Null(remote.Local);
        Assert.Equal("on-b", remote.Data.GetProperty("name").GetString());
        Assert.Equal([idB], remote.Rooms);
        Assert.Equal("{}", remote.Handshake.GetProperty("auth").GetRawText());
        Assert.Same(a.Socket(idA), all.Single(s => s.Id == idA).Local);
        Assert.Equal([idA], (await a.Io.Sockets.Local.FetchSocketsAsync()).Select(s => s.Id));

        a.Io.Sockets.SocketsJoin("both");
        await SocketIOTestServer.WaitUntilAsync(() => b.Io.Of("/").Adapter.SocketRooms(idB).Contains("both"), "b's socket to join");
        Assert.Contains("both", a.Io.Of("/").Adapter.SocketRooms(idA));
        remote.Emit("to-remote", 1);
        Assert.Equal("""42["to-remote",1]""", await onB.ReceiveTextAsync());
        a.Io.Sockets.In("both").SocketsLeave("both");
        await SocketIOTestServer.WaitUntilAsync(() => !b.Io.Of("/").Adapter.SocketRooms(idB).Contains("both"), "b's socket to leave");

        a.Io.Sockets.In(idB).DisconnectSockets();
        Assert.Equal("41", await onB.ReceiveTextAsync());
        Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await b.WaitForDisconnectAsync(idB));
        Assert.True(a.Socket(idA).Connected);
    }

    [Fact]
    public async Task A_broadcast_with_acks_collects_the_answers_of_clients_on_both_nodes()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var (a, b) = (cluster.A, cluster.B);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        await onA.ConnectNamespaceAsync("/");
        await using var onB = await SocketIORawClient.OpenAsync(b);
        await onB.ConnectNamespaceAsync("/");

        var asking = a.Io.Sockets.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll", "p1");
        await AnswerAsync(onA, "\"from-a\"");
        await AnswerAsync(onB, "{\"from\":\"b\"}");

        var responses = await asking;
        Assert.Equal(["\"from-a\"", "{\"from\":\"b\"}"], responses.Select(r => r[0].GetRawText()).Order());
    }

    /// <summary>Reads <c>42&lt;id&gt;["poll","p1"]</c> and answers its ack id with <paramref name="json"/>.</summary>
    internal static async Task AnswerAsync(SocketIORawClient client, string json)
    {
        var text = await client.ReceiveTextAsync();
        var match = System.Text.RegularExpressions.Regex.Match(text, """^42(\d+)\["poll","p1"\]$""");
        Assert.True(match.Success, text);
        await client.SendTextAsync($"43{match.Groups[1].Value}[{json}]");
    }

    [Fact]
    public async Task A_node_started_while_Redis_is_down_serves_its_clients_and_joins_the_cluster_when_Redis_comes()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await redis.StopAsync();
        await using var a = await StartNodeAsync(redis);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        await onA.ConnectNamespaceAsync("/");
        a.Io.Emit("alone", 1);
        Assert.Equal("""42["alone",1]""", await onA.ReceiveTextAsync());

        await redis.StartAgainAsync();
        await using var b = await StartNodeAsync(redis);
        await WaitForSubscriptionsAsync(2, TimeSpan.FromSeconds(30), a, b);
        await using var onB = await SocketIORawClient.OpenAsync(b);
        await onB.ConnectNamespaceAsync("/");
        a.Io.Emit("together", 2);
        Assert.Equal("""42["together",2]""", await onB.ReceiveTextAsync());
    }

    [Fact]
    public async Task When_Redis_goes_away_local_delivery_goes_on_and_cluster_delivery_resumes_when_it_returns()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var (redis, a, b) = (cluster.Redis, cluster.A, cluster.B);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        await onA.ConnectNamespaceAsync("/");
        await using var onB = await SocketIORawClient.OpenAsync(b);
        await onB.ConnectNamespaceAsync("/");

        await redis.StopAsync();
        await Task.Delay(500);
        a.Io.Emit("during", "local only");
        Assert.Equal("""42["during","local only"]""", await onA.ReceiveTextAsync());

        await Task.Delay(2000);
        await redis.StartAgainAsync();
        // Each node reconnects on its own (an attempt a second) and re-subscribes; Redis counting both again
        // means both are back.
        await WaitForSubscriptionsAsync(2, TimeSpan.FromSeconds(30), a, b);

        a.Io.Emit("after", "restart");
        Assert.Equal("""42["after","restart"]""", await onA.ReceiveTextAsync());
        Assert.Equal("""42["after","restart"]""", await onB.ReceiveTextAsync());
        b.Io.Emit("back", "from b");
        Assert.Equal("""42["back","from b"]""", await onA.ReceiveTextAsync());
    }
}
