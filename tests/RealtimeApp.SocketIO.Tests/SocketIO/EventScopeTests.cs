using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.EngineIO.Transports;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>
/// Handlers get a DI scope per event: a scoped service is new for each event and disposed when the
/// handler is done. Driven through the engine seam in memory, reading the exact packets sent back.
/// </summary>
public sealed class EventScopeTests
{
    private sealed class Scoped : IDisposable
    {
        public Guid Id { get; } = Guid.NewGuid();
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    private sealed record Bid(int Amount);

    private sealed class SilentTransport : ITransport
    {
        public EngineTransports Kind => EngineTransports.WebSocket;
        public void OnSessionClosed(bool flush) { }
    }

    [Fact]
    public async Task Each_event_resolves_services_from_its_own_scope_which_is_disposed_afterwards()
    {
        var provider = new ServiceCollection().AddScoped<Scoped>().BuildServiceProvider();
        var io = new SocketIOServer(Options.Create(new SocketIOOptions()), NullLogger<SocketIOServer>.Instance,
            TimeProvider.System, provider.GetRequiredService<IServiceScopeFactory>());
        var seen = new List<Scoped>();
        var handled = new SemaphoreSlim(0);
        io.Of("/").OnConnection(socket => socket.On<Bid, Scoped>("bid", async (bid, service, ack) =>
        {
            seen.Add(service);
            await Task.Yield(); // still in scope after an await
            Assert.False(service.Disposed);
            ack?.Send(bid.Amount, service.Id.ToString());
            handled.Release();
        }));

        var engine = new EngineServer(new EngineIOOptions(), io, NullLogger<EngineServer>.Instance, TimeProvider.System);
        var request = new EngineHandshakeRequest(new Dictionary<string, string>(), new Dictionary<string, string>(),
            null, "/socket.io/", false, DateTimeOffset.UtcNow);
        var session = new EngineSession(engine, "sid", 4, _ => new SilentTransport(), request);
        IEngineSessionHandler handler = io;
        handler.OnOpened(session);

        handler.OnMessage(session, Text("0"));
        Assert.StartsWith("40{\"sid\":\"", Read(session));

        handler.OnMessage(session, Text("21[\"bid\",{\"amount\":5}]"));
        await handled.WaitAsync(TimeSpan.FromSeconds(5));
        handler.OnMessage(session, Text("22[\"bid\",{\"amount\":6}]"));
        await handled.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal($"431[5,\"{seen[0].Id}\"]", await ReadAsync(session));
        Assert.Equal($"432[6,\"{seen[1].Id}\"]", await ReadAsync(session));
        Assert.NotEqual(seen[0].Id, seen[1].Id);
        await WaitUntil(() => seen.All(s => s.Disposed));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_payload_that_does_not_bind_skips_the_handler_and_is_answered_only_by_the_refusal_hook(bool hook)
    {
        var provider = new ServiceCollection().BuildServiceProvider();
        var refusals = new List<SocketRefusal>();
        var options = new SocketIOOptions();
        if (hook)
        {
            options.OnRefusal = r => { refusals.Add(r); r.Ack?.Send(r.Code); };
        }
        var io = new SocketIOServer(Options.Create(options), NullLogger<SocketIOServer>.Instance,
            TimeProvider.System, provider.GetRequiredService<IServiceScopeFactory>());
        var called = false;
        io.Of("/").OnConnection(socket => socket
            .On<Bid>("bid", (_, _) => { called = true; return Task.CompletedTask; })
            .On("echo", e => { e.Ack?.Send(); }));
        var engine = new EngineServer(new EngineIOOptions(), io, NullLogger<EngineServer>.Instance, TimeProvider.System);
        var request = new EngineHandshakeRequest(new Dictionary<string, string>(), new Dictionary<string, string>(),
            null, "/socket.io/", false, DateTimeOffset.UtcNow);
        var session = new EngineSession(engine, "sid", 4, _ => new SilentTransport(), request);
        IEngineSessionHandler handler = io;
        handler.OnOpened(session);
        handler.OnMessage(session, Text("0"));
        Read(session);

        handler.OnMessage(session, Text("27[\"bid\",{\"amount\":\"lots\"}]"));
        handler.OnMessage(session, Text("28[\"echo\"]"));

        if (hook)
        {
            Assert.Equal("437[\"invalid_payload\"]", await ReadAsync(session));
            var refusal = Assert.Single(refusals);
            Assert.Equal(("bid", SocketRefusalCodes.InvalidPayload), (refusal.EventName, refusal.Code));
            Assert.IsAssignableFrom<System.Text.Json.JsonException>(refusal.Exception);
        }
        // Without a hook nothing answers the bid (Node never acks for the app): the next frame is echo's ack.
        Assert.Equal("438[]", await ReadAsync(session));
        Assert.False(called);
    }

    private static DecodedPacket Text(string socketIOPacket) =>
        new(EnginePacketType.Message, false, Encoding.UTF8.GetBytes(socketIOPacket));

    private static string Read(EngineSession session) =>
        session.Outbox.TryRead(out var packet) ? Encoding.UTF8.GetString(packet.Frame.Span) : "(nothing sent)";

    private static async Task<string> ReadAsync(EngineSession session)
    {
        EnginePacket? packet;
        while (!session.Outbox.TryRead(out packet))
        {
            await session.Outbox.WaitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        return Encoding.UTF8.GetString(packet.Frame.Span);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
