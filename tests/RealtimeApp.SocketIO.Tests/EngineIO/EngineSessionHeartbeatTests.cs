using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.EngineIO.Transports;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>
/// The v4 heartbeat as a state machine on a fake clock: ping after PingInterval, close with "ping
/// timeout" PingTimeout later unless a pong came; only a pong re-arms it.
/// </summary>
public sealed class EngineSessionHeartbeatTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    private sealed class Handler : IEngineSessionHandler
    {
        public List<EngineCloseReason> Closed { get; } = [];
        public int Messages { get; private set; }

        public void OnOpened(EngineSession session) { }
        public void OnMessage(EngineSession session, DecodedPacket message) => Messages++;
        public void OnClosed(EngineSession session, EngineCloseReason reason, string? description) => Closed.Add(reason);
    }

    private sealed class SilentTransport : ITransport
    {
        public EngineTransports Kind => EngineTransports.WebSocket;
        public void OnSessionClosed(bool flush) { }
    }

    private static (EngineSession Session, Handler Handler, FakeTimeProvider Time) Start(int protocol = 4)
    {
        var time = new FakeTimeProvider();
        var handler = new Handler();
        var options = new EngineIOOptions { PingInterval = Interval, PingTimeout = Timeout };
        var server = new EngineServer(options, handler, NullLogger<EngineServer>.Instance, time);
        var request = new EngineHandshakeRequest(new Dictionary<string, string>(), new Dictionary<string, string>(),
            "127.0.0.1", "/engine.io/", false, time.GetUtcNow());
        var session = new EngineSession(server, "sid", protocol, _ => new SilentTransport(), request);
        session.StartHeartbeat();
        return (session, handler, time);
    }

    private static List<EnginePacketType> Drain(EngineSession session)
    {
        var sent = new List<EnginePacketType>();
        while (session.Outbox.TryRead(out var packet))
        {
            sent.Add(packet.Type);
        }
        return sent;
    }

    [Fact]
    public void A_ping_goes_out_after_the_interval_and_not_before()
    {
        var (session, _, time) = Start();

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Drain(session));

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([EnginePacketType.Ping], Drain(session));
    }

    [Fact]
    public void Without_a_pong_the_session_closes_with_ping_timeout_exactly_after_the_timeout()
    {
        var (session, handler, time) = Start();
        time.Advance(Interval);
        Drain(session);

        time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.True(session.IsOpen);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(session.IsOpen);
        Assert.Equal([EngineCloseReason.PingTimeout], handler.Closed);
        Assert.False(session.Send(EnginePacket.Message("late")));
    }

    [Fact]
    public void A_pong_rearms_the_heartbeat_for_another_full_interval()
    {
        var (session, handler, time) = Start();
        for (var round = 0; round < 5; round++)
        {
            time.Advance(Interval);
            Assert.Equal([EnginePacketType.Ping], Drain(session));
            time.Advance(Timeout - TimeSpan.FromMilliseconds(50));
            session.OnPacket(new DecodedPacket(EnginePacketType.Pong, false, ReadOnlyMemory<byte>.Empty));
        }

        Assert.True(session.IsOpen);
        Assert.Empty(handler.Closed);
    }

    [Fact]
    public void Other_traffic_does_not_count_as_a_pong()
    {
        var (session, handler, time) = Start();
        time.Advance(Interval);
        Drain(session);

        session.OnPacket(new DecodedPacket(EnginePacketType.Message, false, "4hi"u8.ToArray()));
        time.Advance(Timeout);

        Assert.Equal(1, handler.Messages);
        Assert.Equal([EngineCloseReason.PingTimeout], handler.Closed);
    }

    [Fact]
    public void A_client_ping_on_v4_is_the_wrong_direction_and_closes_with_transport_error()
    {
        var (session, handler, _) = Start();

        session.OnPacket(new DecodedPacket(EnginePacketType.Ping, false, ReadOnlyMemory<byte>.Empty));

        Assert.Equal([EngineCloseReason.TransportError], handler.Closed);
    }

    [Fact]
    public void A_full_outbox_closes_the_session_instead_of_growing()
    {
        var time = new FakeTimeProvider();
        var handler = new Handler();
        var options = new EngineIOOptions { MaxBufferedPackets = 3 };
        var server = new EngineServer(options, handler, NullLogger<EngineServer>.Instance, time);
        var request = new EngineHandshakeRequest(new Dictionary<string, string>(), new Dictionary<string, string>(),
            null, "/", false, time.GetUtcNow());
        var session = new EngineSession(server, "sid", 4, _ => new SilentTransport(), request);

        Assert.True(session.Send(EnginePacket.Message("1")));
        Assert.True(session.Send(EnginePacket.Message("2")));
        Assert.True(session.Send(EnginePacket.Message("3")));
        Assert.False(session.Send(EnginePacket.Message("4")));

        Assert.Equal([EngineCloseReason.TransportError], handler.Closed);
    }

    [Fact]
    public void EIO3_the_server_never_pings_and_answers_each_client_ping_with_a_pong()
    {
        var (session, _, time) = Start(protocol: 3);

        time.Advance(Interval + Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Drain(session));

        session.OnPacket(new DecodedPacket(EnginePacketType.Ping, false, default));
        Assert.Equal([EnginePacketType.Pong], Drain(session));
        Assert.True(session.IsOpen);
    }

    [Fact]
    public void EIO3_without_a_client_ping_for_interval_plus_timeout_the_session_closes_with_ping_timeout()
    {
        var (session, handler, time) = Start(protocol: 3);
        time.Advance(Interval);
        session.OnPacket(new DecodedPacket(EnginePacketType.Ping, false, default)); // re-arms the full deadline

        time.Advance(Interval + Timeout - TimeSpan.FromMilliseconds(1));
        Assert.True(session.IsOpen);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(session.IsOpen);
        Assert.Equal([EngineCloseReason.PingTimeout], handler.Closed);
    }
}
