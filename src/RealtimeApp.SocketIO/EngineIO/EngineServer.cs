using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.Diagnostics;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// One Engine.IO endpoint: its options, its session table and the handler above it. Requests come in
/// through <see cref="HandleRequestAsync"/> (see <c>EngineServer.Requests.cs</c>); sessions leave the table
/// when they close, so <see cref="SessionCount"/> returns to zero when every client is gone.
/// </summary>
public sealed partial class EngineServer
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly IEngineSessionHandler _handler;

    /// <summary>Creates an endpoint; <see cref="Microsoft.AspNetCore.Builder.EngineIOEndpointRouteBuilderExtensions.MapEngineIO(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, IEngineSessionHandler, Action{EngineIOOptions})"/> does this for you.</summary>
    public EngineServer(EngineIOOptions options, IEngineSessionHandler handler, ILogger<EngineServer> logger, TimeProvider time)
    {
        Options = options;
        _handler = handler;
        Logger = logger;
        Time = time;
        _handshakeLimiter = CreateHandshakeLimiter(options.HandshakeRateLimit);
        PingIntervals = new DeadlineQueue(time, options.PingInterval);
        PingTimeouts = new DeadlineQueue(time, options.PingTimeout);
        ClientPingDeadlines = new DeadlineQueue(time, options.PingInterval + options.PingTimeout);
    }

    /// <summary>The endpoint's options (a copy: later changes to the registered options do not apply).</summary>
    public EngineIOOptions Options { get; }

    /// <summary>Sessions currently known (open, or closing while their last packets go out).</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Looks a session up by sid.</summary>
    public bool TryGetSession(string sid, out EngineSession session) => _sessions.TryGetValue(sid, out session!);

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    // Every session's heartbeat waits, one timer per length (see DeadlineQueue). Options are a copy fixed at
    // construction, so the lengths are too.
    internal DeadlineQueue PingIntervals { get; }

    internal DeadlineQueue PingTimeouts { get; }

    internal DeadlineQueue ClientPingDeadlines { get; }

    /// <summary>
    /// Closes every session from the server, e.g. at shutdown: queued packets are still delivered to every
    /// client that is there to take them. A polling session waits for its client's next poll only while
    /// that client can still be between two polls (about a second after its last request), not for the
    /// whole <see cref="EngineIOOptions.CloseTimeout"/>: a client that went away is forgotten, and if it
    /// comes back it gets "Session ID unknown" and reconnects, as it would after the wait. So no absent
    /// client can hold a shutdown.
    /// </summary>
    public void CloseAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.Close();
            session.ShortenCloseWait();
        }
    }

    internal void Remove(EngineSession session)
    {
        if (_sessions.TryRemove(new(session.Id, session)))
        {
            ReleaseSession();
        }
    }

    internal void DispatchMessage(EngineSession session, in DecodedPacket message)
    {
        try
        {
            _handler.OnMessage(session, message);
        }
        catch (Exception ex)
        {
            // A bug above must cost this one session, never the process or other sessions.
            Log.HandlerFailed(Logger, session.Id, ex);
            session.Close(EngineCloseReason.TransportError, "message handler failed");
        }
    }

    internal void OnSessionClosed(EngineSession session, EngineCloseReason reason, string? description)
    {
        Log.SessionClosed(Logger, session.Id, reason.ToWireString(), description);
        try
        {
            _handler.OnClosed(session, reason, description);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, session.Id, ex);
        }
    }

    internal void OnUpgraded(EngineSession session)
    {
        Log.Upgraded(Logger, session.Id);
        (_handler as IEngineUpgradeObserver)?.OnUpgraded(session);
    }

    private EngineSession Open(string sid, int protocol, Func<EngineSession, Transports.ITransport> transport,
        EngineHandshakeRequest request, IReadOnlyList<string> upgrades)
    {
        var session = new EngineSession(this, sid, protocol, transport, request);
        _sessions[sid] = session;
        // A child of the handshake's HTTP request; it covers the layer above creating its connection.
        using var activity = SocketIOTracing.IsEnabled
            ? SocketIOTracing.StartConnectionOpen(sid, session.Transport == EngineTransports.Polling ? "polling" : "websocket",
                protocol, request.RemoteAddress)
            : null;

        // The open packet is the first thing in the outbox, so it leads the first poll / first frame.
        session.Send(OpenTemplate(upgrades).Create(sid));
        Log.SessionOpened(Logger, sid, session.Transport);
        try
        {
            _handler.OnOpened(session);
        }
        catch (Exception ex)
        {
            SocketIOTracing.RecordException(activity, ex);
            Log.HandlerFailed(Logger, sid, ex);
            session.Close(EngineCloseReason.TransportError, "open handler failed");
        }
        session.StartHeartbeat();
        return session;
    }

    private OpenPacketTemplate? _openWithUpgrades;
    private OpenPacketTemplate? _openWithoutUpgrades;

    // Options are a copy fixed at MapEngineIO, so the two possible open packets are fixed too.
    private OpenPacketTemplate OpenTemplate(IReadOnlyList<string> upgrades) => upgrades.Count == 0
        ? _openWithoutUpgrades ??= new([], Options.PingInterval, Options.PingTimeout, Options.MaxHttpBufferSize)
        : _openWithUpgrades ??= new(upgrades, Options.PingInterval, Options.PingTimeout, Options.MaxHttpBufferSize);

    private const int IdBytes = 15; // 20 characters, no padding
    private const int IdsPerFill = 64;

    // Cryptographic random bytes for the next ids of this thread. One RandomNumberGenerator.Fill per id cost
    // ~5 % of a polling handshake's CPU: each call into OpenSSL checks the pid (fork safety) and takes a lock.
    // Filling for 64 ids at once keeps every id as random and as unpredictable; only the call count drops.
    [ThreadStatic] private static byte[]? t_idBytes;
    [ThreadStatic] private static int t_idOffset;

    /// <summary>20 URL-safe characters from 15 random bytes, like Node's ids (clients treat them as opaque).</summary>
    internal static string NewSessionId()
    {
        var bytes = t_idBytes ??= new byte[IdBytes * IdsPerFill];
        var offset = t_idOffset;
        if (offset == 0)
        {
            RandomNumberGenerator.Fill(bytes);
        }
        var id = bytes.AsSpan(offset, IdBytes);
        var text = System.Buffers.Text.Base64Url.EncodeToString(id);
        id.Clear(); // a used id's bytes are not kept around
        t_idOffset = (offset + IdBytes) % bytes.Length;
        return text;
    }
}
