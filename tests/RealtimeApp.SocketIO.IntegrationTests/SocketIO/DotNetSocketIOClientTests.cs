using System.Collections.Concurrent;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using SocketIOClient;
using SocketIOClient.Transport;
using ServerReason = RealtimeApp.SocketIO.DisconnectReason;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// The .NET SocketIOClient 3.0.6 package against our server, over polling and over WebSocket, on the
/// main and a custom namespace: auth, events, acks both ways, binary, disconnects.
/// </summary>
public sealed class DotNetSocketIOClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public static TheoryData<TransportProtocol, string> TransportsAndNamespaces => new()
    {
        { TransportProtocol.Polling, "/" }, { TransportProtocol.WebSocket, "/" },
        { TransportProtocol.Polling, "/custom" }, { TransportProtocol.WebSocket, "/custom" },
    };

    [Theory]
    [MemberData(nameof(TransportsAndNamespaces))]
    public async Task Client_connects_with_auth_emits_with_acks_and_gets_events_back(TransportProtocol transport, string ns)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        using var client = NewClient(server, transport, ns, new { token = "dotnet", n = 2 });
        var events = Record(client, "auth", "message-back", "answer");
        client.On("question", r => _ = r.CallbackAsync(new { answer = r.GetValue<string>(0) + "?" }));

        await ConnectAsync(client);

        Assert.True(client.Connected);
        var socket = server.Socket(client.Id);
        Assert.Equal(ns, socket.Namespace.Name);
        Assert.Equal("""{"token":"dotnet","n":2}""", socket.Handshake.Auth.GetRawText());
        Assert.Equal("""{"token":"dotnet","n":2}""", (await events["auth"].Next()).GetValue(0).GetRawText());

        // An event with several kinds of arguments comes back as "message-back".
        await client.EmitAsync("message", "hello \u20ac", 42, new { a = 1, b = new[] { "x" } });
        var back = await events["message-back"].Next();
        Assert.Equal(3, back.Count);
        Assert.Equal("hello \u20ac", back.GetValue<string>(0));
        Assert.Equal(42, back.GetValue<int>(1));
        Assert.Equal("""{"a":1,"b":["x"]}""", back.GetValue(2).GetRawText());

        // Client → server ack.
        var ack = new TaskCompletionSource<SocketIOResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.EmitAsync("message-with-ack", r => ack.TrySetResult(r), "x", 7, new[] { 1, 2 });
        var acked = await ack.Task.WaitAsync(Wait);
        Assert.Equal(3, acked.Count);
        Assert.Equal("x", acked.GetValue<string>(0));
        Assert.Equal(7, acked.GetValue<int>(1));
        Assert.Equal("[1,2]", acked.GetValue(2).GetRawText());

        // Server → client ack: the server asks "question", the client answers, the server emits "answer".
        await client.EmitAsync("ask-me");
        Assert.Equal("""{"answer":"q?"}""", (await events["answer"].Next()).GetValue(0).GetRawText());

        // The server sees the transport the client chose (no upgrade asked for).
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.EmitAsync("transport", r => seen.TrySetResult(r.GetValue<string>(0)));
        Assert.Equal(transport == TransportProtocol.Polling ? "polling" : "websocket", await seen.Task.WaitAsync(Wait));

        await client.DisconnectAsync().WaitAsync(Wait);
        Assert.Equal(ServerReason.ClientNamespaceDisconnect, await server.WaitForDisconnectAsync(socket.Id));
    }

    [Theory]
    [MemberData(nameof(TransportsAndNamespaces))]
    public async Task Binary_arguments_round_trip_through_events_and_acks(TransportProtocol transport, string ns)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        using var client = NewClient(server, transport, ns);
        var events = Record(client, "message-back");
        await ConnectAsync(client);
        byte[] first = [0, 1, 2, 127, 128, 255];
        byte[] second = [42];

        await client.EmitAsync("message", first, "between", second);
        var back = await events["message-back"].Next();
        Assert.Equal(3, back.Count);
        Assert.Equal(first, back.GetValue<byte[]>(0));
        Assert.Equal("between", back.GetValue<string>(1));
        Assert.Equal(second, back.GetValue<byte[]>(2));

        var ack = new TaskCompletionSource<SocketIOResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.EmitAsync("message-with-ack", r => ack.TrySetResult(r), first);
        Assert.Equal(first, (await ack.Task.WaitAsync(Wait)).GetValue<byte[]>(0));
        await client.DisconnectAsync().WaitAsync(Wait);
    }

    [Theory]
    [InlineData(TransportProtocol.Polling)]
    [InlineData(TransportProtocol.WebSocket)]
    public async Task Server_disconnect_reaches_the_client(TransportProtocol transport)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        using var client = NewClient(server, transport, "/");
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnDisconnected += (_, r) => reason.TrySetResult(r);
        await ConnectAsync(client);
        var id = client.Id;

        await client.EmitAsync("disconnect-me");

        Assert.Equal("io server disconnect", await reason.Task.WaitAsync(Wait));
        Assert.Equal(ServerReason.ServerNamespaceDisconnect, await server.WaitForDisconnectAsync(id));
    }

    [Theory]
    [InlineData(TransportProtocol.Polling)]
    [InlineData(TransportProtocol.WebSocket)]
    public async Task Middleware_refusal_and_acceptance(TransportProtocol transport)
    {
        await using var server = await SocketIOTestServer.StartAsync();

        using (var refused = NewClient(server, transport, "/private", new { token = "wrong" }))
        {
            var error = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            refused.OnError += (_, e) => error.TrySetResult(e);
            _ = refused.ConnectAsync();
            Assert.Contains("unauthorized", await error.Task.WaitAsync(Wait));
            Assert.False(refused.Connected);
            await refused.DisconnectAsync().WaitAsync(Wait);
        }
        Assert.DoesNotContain(server.Connections, s => s.Namespace.Name == "/private");

        using var accepted = NewClient(server, transport, "/private", new { token = "secret" });
        await ConnectAsync(accepted);
        Assert.True(accepted.Connected);
        Assert.Equal("/private", server.Socket(accepted.Id).Namespace.Name);
        await accepted.DisconnectAsync().WaitAsync(Wait);
    }

    /// <summary>
    /// Connects and waits for the namespace CONNECT reply: SocketIOClient 3.0.6's ConnectAsync returns once
    /// the transport is open, before the client has even sent its CONNECT, and an event emitted then would
    /// reach the server before the CONNECT (which closes the connection, as in Node).
    /// </summary>
    private static async Task ConnectAsync(SocketIOClient.SocketIO client)
    {
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnConnected += (_, _) => connected.TrySetResult();
        await client.ConnectAsync().WaitAsync(Wait);
        await connected.Task.WaitAsync(Wait);
    }

    private static SocketIOClient.SocketIO NewClient(SocketIOTestServer server, TransportProtocol transport, string ns,
        object? auth = null) =>
        new(server.Url(ns), new SocketIOClient.SocketIOOptions
        {
            Transport = transport,
            EIO = 4,
            AutoUpgrade = false,
            Reconnection = false,
            ConnectionTimeout = Wait,
            Auth = auth,
        });

    /// <summary>Queues every occurrence of each event, so none is missed however fast it comes.</summary>
    private static Dictionary<string, EventQueue> Record(SocketIOClient.SocketIO client, params string[] names)
    {
        var queues = names.ToDictionary(n => n, _ => new EventQueue());
        foreach (var name in names)
        {
            client.On(name, queues[name].Add);
        }
        return queues;
    }

    private sealed class EventQueue
    {
        private readonly BlockingCollection<SocketIOResponse> _items = [];

        public void Add(SocketIOResponse response) => _items.Add(response);

        public Task<SocketIOResponse> Next() => Task.Run(() =>
            _items.TryTake(out var item, Wait) ? item : throw new TimeoutException("no event in time"));
    }
}
