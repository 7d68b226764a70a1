using System.Text;
using System.Text.Json;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Adapters;

/// <summary>
/// What every <see cref="ISocketIOAdapter"/> must do on one node, as SignalR's <c>HubLifetimeManagerTestsBase</c>
/// is for its lifetime managers: room bookkeeping, selection with rooms and exceptions, broadcasts that reach
/// exactly the selected sockets, what a disconnect leaves behind, the shape of fetched sockets, the server
/// count, and connection state recovery that does what <see cref="ISocketIOAdapter.SupportsRecovery"/> claims.
/// A new adapter gets a subclass that starts a node with it; sockets are real (raw WebSocket clients on the
/// namespace <see cref="Nsp"/>, which has no handlers of its own), so delivery is checked on the wire.
/// </summary>
public abstract partial class AdapterSpecification
{
    [System.Text.RegularExpressions.GeneratedRegex(""","\d+-\d+"\]$""")]
    private static partial System.Text.RegularExpressions.Regex StreamOffset();

    /// <summary>The namespace under test: created before any client, with no handler that would emit.</summary>
    protected const string Nsp = "/spec";

    /// <summary>Whether the node is configured with connection state recovery (the adapter still decides).</summary>
    protected virtual bool WithRecovery => true;

    /// <summary>
    /// Whether, with recovery on, the adapter gives every non-volatile event an offset of its own, even one handed to
    /// it without (Node's streams adapter stamps each broadcast with its stream entry id): the frames are then
    /// compared without that last argument.
    /// </summary>
    protected virtual bool StampsEveryEvent => false;

    /// <summary>
    /// Starts a node whose namespaces use the adapter under test, with <paramref name="configure"/> and
    /// <paramref name="configureEngine"/> applied, and returns once <see cref="Nsp"/>'s adapter is ready.
    /// </summary>
    internal abstract Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine);

    private async Task<(SocketIOTestServer Server, SocketNamespace Ns)> StartAsync()
    {
        var server = await StartNodeAsync(
            o => o.ConnectionStateRecovery = WithRecovery ? new() { MaxDisconnectionDuration = TimeSpan.FromMinutes(2) } : null,
            // Raw clients read only when a test does: no heartbeat may end a session in between.
            e => (e.PingInterval, e.PingTimeout) = (TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)));
        return (server, server.Io.Of(Nsp));
    }

    private static async Task<(SocketIORawClient Client, string Id, JsonElement Reply)> ConnectAsync(SocketIOTestServer server)
    {
        var client = await SocketIORawClient.OpenAsync(server);
        await client.SendTextAsync($"40{Nsp},");
        var reply = await client.ReceiveTextAsync();
        Assert.StartsWith($"40{Nsp},{{", reply);
        var json = JsonDocument.Parse(reply[$"40{Nsp},".Length..]).RootElement.Clone();
        return (client, json.GetProperty("sid").GetString()!, json);
    }

    private static SocketContext Socket(SocketNamespace ns, string id) =>
        ns.FindSocket(id) ?? throw new InvalidOperationException($"socket {id} is not connected to {ns.Name}");

    /// <summary>In ordinal order (socket ids mix cases), to compare sets.</summary>
    private static string[] Sorted(params string[] values) => [.. values.Order(StringComparer.Ordinal)];

    private static BroadcastOptions Select(string[]? rooms = null, string[]? except = null) => new()
    {
        Rooms = new HashSet<string>(rooms ?? [], StringComparer.Ordinal),
        Except = new HashSet<string>(except ?? [], StringComparer.Ordinal),
    };

    private static EncodedPacket Event(string json, params byte[][] attachments) =>
        EncodedPacket.Event(Nsp, new PacketData(Encoding.UTF8.GetBytes(json), [.. attachments.Select(a => (ReadOnlyMemory<byte>)a)]));

    /// <summary>The text frames a client got before <paramref name="marker"/>, which every client is sent last.</summary>
    private async Task<List<string>> ReceivedBeforeAsync(SocketIORawClient client, string marker)
    {
        var received = new List<string>();
        while (true)
        {
            var frame = await client.ReceiveSkippingPingsAsync();
            var text = frame.Type == System.Net.WebSockets.WebSocketMessageType.Binary ? "<binary " + Convert.ToHexString(frame.Data) + ">" : frame.Text;
            if (StampsEveryEvent && WithRecovery)
            {
                text = StreamOffset().Replace(text, "]");
            }
            if (text == marker)
            {
                return received;
            }
            received.Add(text);
        }
    }

    [Fact]
    public async Task AddAll_puts_a_socket_in_each_room_and_Delete_takes_it_out_of_one()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var adapter = ns.Adapter;

        adapter.AddAll("a", ["a", "r1", "r2"]);
        adapter.AddAll("a", ["r3"]);
        Assert.Equal(["a", "r1", "r2", "r3"], Sorted([.. adapter.SocketRooms("a")]));

        adapter.Delete("a", "r2");
        Assert.Equal(["a", "r1", "r3"], Sorted([.. adapter.SocketRooms("a")]));
        Assert.Empty(adapter.Sockets(Select(["r2"])));
        Assert.Equal(["a"], adapter.Sockets(Select(["r1"])));
    }

    [Fact]
    public async Task DeleteAll_forgets_the_socket_everywhere_and_unknown_ids_are_harmless()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var adapter = ns.Adapter;
        adapter.AddAll("a", ["a", "shared", "only-a"]);
        adapter.AddAll("b", ["b", "shared"]);

        adapter.DeleteAll("a");

        Assert.Empty(adapter.SocketRooms("a"));
        Assert.Empty(adapter.Sockets(Select(["only-a"])));
        Assert.Equal(["b"], adapter.Sockets(Select(["shared"])));
        Assert.Equal(["b"], adapter.Sockets(Select()));
        adapter.DeleteAll("a");
        adapter.Delete("nobody", "shared");
        Assert.Empty(adapter.SocketRooms("nobody"));
        Assert.Equal(["b", "shared"], Sorted([.. adapter.SocketRooms("b")]));
    }

    [Theory]
    [InlineData(new string[0], new string[0], new[] { "a", "b", "c", "d" })]
    [InlineData(new[] { "r1" }, new string[0], new[] { "a", "b" })]
    [InlineData(new[] { "r1", "r2" }, new string[0], new[] { "a", "b", "d" })]
    [InlineData(new[] { "r1" }, new[] { "r2" }, new[] { "a" })]
    [InlineData(new string[0], new[] { "r1" }, new[] { "c", "d" })]
    [InlineData(new string[0], new[] { "r1", "r2" }, new[] { "c" })]
    [InlineData(new[] { "r1", "r2" }, new[] { "b" }, new[] { "a", "d" })]
    [InlineData(new[] { "nowhere" }, new string[0], new string[0])]
    public async Task Sockets_is_the_union_of_the_rooms_minus_every_member_of_an_except_room(string[] rooms, string[] except, string[] expected)
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var adapter = ns.Adapter;
        adapter.AddAll("a", ["a", "r1"]);
        adapter.AddAll("b", ["b", "r1", "r2"]);
        adapter.AddAll("c", ["c"]);
        adapter.AddAll("d", ["d", "r2"]);

        var selected = adapter.Sockets(Select(rooms, except));

        Assert.Equal(expected, Sorted([.. selected])); // each once: a set
    }
}
