using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.EngineIO.Transports;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// One Engine.IO session (one sid): its state, its outbox and its current transport. Outgoing packets
/// go through a bounded outbox read by exactly one consumer at a time — the pending poll, or the
/// WebSocket sender (whoever queued the packet; see WebSocketTransport.Send.cs) — so frames keep their
/// order and no lock is held while bytes are written.
/// </summary>
public sealed partial class EngineSession
{
    private readonly EngineServer _server;
    private readonly EngineOutbox _outbox;
    private ITransport _transport;
    private SessionState _state = SessionState.Open;
    private ITimer? _closeTimer;

    internal EngineSession(EngineServer server, string id, int protocol, Func<EngineSession, ITransport> transport,
        EngineHandshakeRequest request)
    {
        _server = server;
        Id = id;
        Protocol = protocol;
        _transport = transport(this);
        Request = request;
        _outbox = new EngineOutbox(server.Options.MaxBufferedPackets);
    }

    private enum SessionState { Open, Closing, Closed }

    /// <summary>The session id (<c>sid</c>), 20 URL-safe characters.</summary>
    public string Id { get; }

    /// <summary>
    /// The Engine.IO protocol revision of the client: 4, or 3 for <c>socket.io-client</c> 1.x/2.x when
    /// <see cref="EngineIOOptions.AllowEIO3"/> is on (the layer above speaks Socket.IO protocol 4 to those).
    /// </summary>
    public int Protocol { get; }

    /// <summary>
    /// Whether binary goes out as binary (binary frames, binary polling payloads). Always on v4, where
    /// polling carries binary as base64 anyway; a v3 client turns it off with <c>b64=1</c> on its handshake.
    /// </summary>
    internal bool SupportsBinary => Protocol == 4 || !(Request.Query.TryGetValue("b64", out var b64) && b64.Length > 0);

    /// <summary>What the opening request carried (headers, query, address, URL, time).</summary>
    public EngineHandshakeRequest Request { get; }

    /// <summary>The transport in use now; changes from polling to WebSocket on upgrade.</summary>
    public EngineTransports Transport => _transport.Kind;

    /// <summary>True until the session starts closing.</summary>
    public bool IsOpen => _state == SessionState.Open;

    /// <summary>
    /// True when a packet sent now would go out at once: nothing queued ahead of it and a transport ready
    /// to write (a WebSocket, or a pending poll). Volatile packets are dropped otherwise, as in Node.
    /// </summary>
    public bool IsWritable => _state == SessionState.Open && _outbox.Count == 0
        && (_transport is not PollingTransport polling || polling.HasPendingPoll);

    internal Lock Gate { get; } = new();

    internal EngineOutbox Outbox => _outbox;

    internal EngineIOOptions Options => _server.Options;

    internal EngineServer Server => _server;

    internal ILogger Logger => _server.Logger;

    internal ITransport CurrentTransport => _transport;

    /// <summary>
    /// Queues <paramref name="packet"/> for the client. Never blocks and never writes on the caller's
    /// thread. Returns false when the session is closing or closed; when the outbox is full the session is
    /// closed ("transport error") rather than buffering without bound.
    /// </summary>
    public bool Send(EnginePacket packet)
    {
        if (_state != SessionState.Open)
        {
            return false;
        }
        if (_outbox.TryWrite(packet))
        {
            return true;
        }
        if (_state == SessionState.Open)
        {
            Close(EngineCloseReason.TransportError, "outbox full: the client is not reading");
        }
        return false;
    }

    /// <summary>Closes the session from the server: queued packets are still delivered, then the transport closes.</summary>
    public void Close() => Close(EngineCloseReason.ForcedClose, "closed by the server");

    /// <summary>
    /// Closes the session with <paramref name="reason"/>. A forced (server) close delivers what is queued
    /// first; every other reason stops at once. The handler's <c>OnClosed</c> is called once.
    /// </summary>
    internal void Close(EngineCloseReason reason, string? description, bool clientInitiated = false)
    {
        var flush = reason == EngineCloseReason.ForcedClose;
        ITransport transport;
        WebSocketTransport? probe;
        lock (Gate)
        {
            if (_state != SessionState.Open)
            {
                return;
            }
            // Set with the state, before anyone can see the session closed: a waiting poll answers a
            // client's own close with a noop.
            ClosedByClient = clientInitiated;
            _state = flush ? SessionState.Closing : SessionState.Closed;
            transport = _transport;
            probe = _upgradeProbe;
            _upgradeProbe = null;
            StopUpgradeCheck();
            StopHeartbeat();
        }

        if (flush)
        {
            // What is queued still goes out; then a WebSocket gets a close frame from its writer, and a
            // polling client a close packet in a poll of its own (see PollingTransport.HandleGetAsync).
            if (transport.Kind == EngineTransports.Polling)
            {
                _closeTimer = _server.Time.CreateTimer(static s => ((EngineSession)s!).OnCloseTimer(), this,
                    Options.CloseTimeout, Timeout.InfiniteTimeSpan);
            }
            _outbox.Complete();
        }
        else
        {
            _outbox.Complete();
            _server.Remove(this);
        }

        probe?.Abort();
        transport.OnSessionClosed(flush);
        _server.OnSessionClosed(this, reason, description);
    }

    /// <summary>A closing session has delivered its last packets (or given up waiting): forget it.</summary>
    internal void Complete()
    {
        lock (Gate)
        {
            _state = SessionState.Closed;
        }
        _closeTimer?.Dispose();
        _server.Remove(this);
    }

    /// <summary>
    /// How long a live long-polling client may be without a request under way: it sends its next GET as
    /// soon as one is answered, so a gap longer than this means it has gone.
    /// </summary>
    internal static readonly TimeSpan PollingClientGap = TimeSpan.FromSeconds(1);

    /// <summary>
    /// At shutdown (<see cref="EngineServer.CloseAll"/>), a closing polling session waits for its client's
    /// next poll no longer than <see cref="PollingClientGap"/> after its last request, instead of
    /// <see cref="EngineIOOptions.CloseTimeout"/>: a client between two polls comes back in time and gets
    /// its last packets and the close packet; one that went away (or a bare handshake from curl) is
    /// forgotten at once, so it cannot hold the stop.
    /// </summary>
    internal void ShortenCloseWait()
    {
        TimeSpan idle;
        lock (Gate)
        {
            if (_state != SessionState.Closing || _transport is not PollingTransport polling)
            {
                return;
            }
            idle = polling.TimeWithoutRequest;
        }
        var wait = PollingClientGap - idle;
        if (wait > TimeSpan.Zero)
        {
            _closeTimer?.Change(wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            OnCloseTimer();
        }
    }

    // The wait for a server-closed polling session's last poll is over. A GET under way is left to finish
    // (it takes the last packets and, once the outbox is empty, completes the session itself); the timer
    // looks again a moment later in case that client then goes away.
    private void OnCloseTimer()
    {
        lock (Gate)
        {
            if (_state != SessionState.Closing)
            {
                return;
            }
            if (_transport is PollingTransport { HasPendingPoll: true })
            {
                _closeTimer?.Change(PollingClientGap, Timeout.InfiniteTimeSpan);
                return;
            }
            _state = SessionState.Closed;
        }
        _closeTimer?.Dispose();
        _server.Remove(this);
    }

    internal bool IsClosed => _state == SessionState.Closed;

    /// <summary>The session was closed by the client's close packet (not by the server or the network).</summary>
    internal bool ClosedByClient
    {
        get
        {
            lock (Gate)
            {
                return _closedByClient;
            }
        }
        private set => _closedByClient = value; // under Gate, with the state
    }

    private bool _closedByClient;

    /// <summary>Handles one packet from the client, whatever transport it came on.</summary>
    internal void OnPacket(in DecodedPacket packet)
    {
        if (_state != SessionState.Open)
        {
            return;
        }
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                _server.DispatchMessage(this, packet);
                break;
            case EnginePacketType.Pong when Protocol == 4:
                OnPong();
                break;
            case EnginePacketType.Ping when Protocol == 3:
                OnClientPing();
                break;
            case EnginePacketType.Close:
                Close(EngineCloseReason.TransportClose, "client sent a close packet", clientInitiated: true);
                break;
            case EnginePacketType.Ping or EnginePacketType.Pong:
                // v4 pings go server → client, v3 pings client → server; the other direction is a protocol
                // error (Node: "invalid heartbeat direction").
                Close(EngineCloseReason.TransportError, "invalid heartbeat direction");
                break;
            default:
                // open, upgrade and noop from a client carry nothing to act on (Node ignores them too).
                break;
        }
    }
}
