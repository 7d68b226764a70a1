using System.Text;
using System.Text.Json;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Adapters;

// The part of the specification with connected sockets: delivery on the wire, disconnects, fetchSockets,
// the server count and connection state recovery.
public abstract partial class AdapterSpecification
{
    [Fact]
    public async Task Broadcast_reaches_exactly_the_selected_local_sockets_once_and_counts_them()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var (a, aId, _) = await ConnectAsync(server);
        var (b, bId, _) = await ConnectAsync(server);
        var (c, _, _) = await ConnectAsync(server);
        var (d, dId, _) = await ConnectAsync(server);
        await using var __ = a;
        await using var ___ = b;
        await using var ____ = c;
        await using var _____ = d;
        Socket(ns, aId).Join("r1");
        Socket(ns, bId).Join("r1", "r2");
        Socket(ns, dId).Join("r2");
        var adapter = ns.Adapter;

        Assert.Equal(3, adapter.Broadcast(Event("""["union"]"""), Select(["r1", "r2"])));
        Assert.Equal(1, adapter.Broadcast(Event("""["r1-not-r2"]"""), Select(["r1"], ["r2"])));
        Assert.Equal(2, adapter.Broadcast(Event("""["not-r1"]"""), Select(except: ["r1"])));
        Assert.Equal(1, adapter.Broadcast(Event("""["to-b",{"_placeholder":true,"num":0}]""", [1, 2, 3]), Select([bId])));
        Assert.Equal(0, adapter.Broadcast(Event("""["nobody"]"""), Select(["nowhere"])));
        Assert.Equal(4, adapter.Broadcast(Event("""["mark"]"""), Select()));

        var mark = $"42{Nsp},[\"mark\"]";
        Assert.Equal([$"42{Nsp},[\"union\"]", $"42{Nsp},[\"r1-not-r2\"]"], await ReceivedBeforeAsync(a, mark));
        Assert.Equal([$"42{Nsp},[\"union\"]", $"451-{Nsp},[\"to-b\",{{\"_placeholder\":true,\"num\":0}}]", "<binary 010203>"],
            await ReceivedBeforeAsync(b, mark));
        Assert.Equal([$"42{Nsp},[\"not-r1\"]"], await ReceivedBeforeAsync(c, mark));
        Assert.Equal([$"42{Nsp},[\"union\"]", $"42{Nsp},[\"not-r1\"]"], await ReceivedBeforeAsync(d, mark));
    }

    [Fact]
    public async Task Encoded_packet_data_round_trips_what_a_node_publishes()
    {
        var (server, _) = await StartAsync();
        await using var __ = server;
        var packet = Event("""["bin",{"n":1},{"_placeholder":true,"num":0}]""", [9, 8]);

        var data = packet.Data;

        Assert.Equal("""["bin",{"n":1},{"_placeholder":true,"num":0}]""", Encoding.UTF8.GetString(data.Json.Span));
        Assert.Equal([9, 8], data.Attachments.Single().ToArray());
        Assert.Null(packet.Offset);
    }

    [Fact]
    public async Task A_disconnected_socket_is_in_no_room_and_no_selection()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var (a, aId, _) = await ConnectAsync(server);
        var (b, bId, _) = await ConnectAsync(server);
        await using var __ = a;
        Socket(ns, aId).Join("r1", "only-a");
        Socket(ns, bId).Join("r1");
        var adapter = ns.Adapter;
        Assert.Equal(Sorted(aId, "only-a", "r1"), Sorted([.. adapter.SocketRooms(aId)]));

        Socket(ns, aId).Disconnect(); // server side
        await b.DisposeAsync(); // client side: the transport closes (with recovery on, its session is kept)
        await SocketIOTestServer.WaitUntilAsync(() => adapter.Sockets(Select()).Count == 0, "both sockets to leave the adapter");

        Assert.Empty(adapter.SocketRooms(aId));
        Assert.Empty(adapter.SocketRooms(bId));
        Assert.Empty(adapter.Sockets(Select(["r1"])));
        Assert.Empty(adapter.Sockets(Select(["only-a"])));
        Assert.Equal(0, adapter.Broadcast(Event("""["late"]"""), Select()));
    }

    [Fact]
    public async Task FetchSockets_gives_each_selected_socket_with_its_id_rooms_data_and_handshake()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var (a, aId, _) = await ConnectAsync(server);
        var (b, bId, _) = await ConnectAsync(server);
        await using var __ = a;
        await using var ___ = b;
        Socket(ns, aId).Join("r1");
        Socket(ns, aId).Data["name"] = "a";
        Socket(ns, bId).Join("r2");

        var fetched = await ns.In("r1").FetchSocketsAsync();

        var socket = Assert.Single(fetched);
        Assert.Equal(aId, socket.Id);
        Assert.Equal(Sorted(aId, "r1"), Sorted([.. socket.Rooms]));
        Assert.Equal("a", socket.Data.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, socket.Handshake.ValueKind);
        Assert.Same(Socket(ns, aId), socket.Local);
        // One node: nothing remote.
        Assert.Empty(await ns.Adapter.FetchRemoteSocketsAsync(Select(["r1"])));
        Assert.Equal(Sorted(aId, bId), Sorted([.. (await ns.FetchSocketsAsync()).Select(s => s.Id)]));
    }

    [Fact]
    public async Task A_single_node_counts_one_server()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;

        Assert.Equal(1, await ns.Adapter.ServerCountAsync());
    }
}
