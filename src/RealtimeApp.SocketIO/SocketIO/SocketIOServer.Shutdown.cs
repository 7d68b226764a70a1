using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

// Graceful shutdown and the server's counters. The drain itself (begin, wait for running handlers,
// close, wait for the sessions to flush) is sequenced by Hosting's SocketIOShutdownService, which also
// holds the engine endpoints; this part owns what the Socket.IO layer decides.
public sealed partial class SocketIOServer
{
    private volatile bool _shuttingDown;
    private int _running;
    private long _rateLimited;
    private long _limitHits;

    /// <summary>True once <see cref="BeginShutdown"/> ran: new namespace joins and new events are refused.</summary>
    public bool IsShuttingDown => _shuttingDown;

    /// <summary>Event handlers (and connection middlewares) that have started and not finished yet.</summary>
    public int RunningHandlers => Volatile.Read(ref _running);

    /// <summary>
    /// Starts the drain: from now on a CONNECT gets "server shutting down" and an event is refused (to
    /// <see cref="SocketIOOptions.OnRefusal"/>) instead of starting work that the shutdown would cut; every socket is sent
    /// <see cref="SocketIOOptions.ShutdownEvent"/>. Handlers already running go on.
    /// </summary>
    public void BeginShutdown()
    {
        _shuttingDown = true;
        // Pairs with TryBeginWork's increment-then-read: a full fence between this write and the drain's
        // read of RunningHandlers means an event either sees the flag (and is refused) or is counted.
        Interlocked.MemoryBarrier();
        foreach (var ns in _namespaces.Values)
        {
            // This node's sockets only: over a cluster adapter a namespace emit would tell every node's clients.
            foreach (var socket in ns.Sockets)
            {
                TellShutdown(socket);
            }
        }
    }

    /// <summary>
    /// Sends <see cref="SocketIOOptions.ShutdownEvent"/> to <paramref name="socket"/>, once: from
    /// <see cref="BeginShutdown"/>, or when a CONNECT that began before the drain completes after it.
    /// </summary>
    internal void TellShutdown(SocketContext socket)
    {
        if (Options.ShutdownEvent is { } eventName && socket.TryMarkToldShutdown())
        {
            socket.Emit(eventName, DisconnectReasons.ToWireString(DisconnectReason.ServerShuttingDown), Protocol.SocketIOJsonContext.Payload.String);
        }
    }

    /// <summary>
    /// Disconnects every socket with "server shutting down" (server side) and closes every connection; what
    /// was queued for a client is still delivered before its transport closes.
    /// </summary>
    public void CloseAll()
    {
        _shuttingDown = true;
        foreach (var connection in _connections.Values)
        {
            connection.Close(DisconnectReason.ServerShuttingDown, notifyClient: false);
        }
    }

    /// <summary>
    /// Counts a unit of application work (an event's handlers, a CONNECT's middlewares) as running from the
    /// moment it is dispatched, before any of its code runs, unless the drain has begun. A handler that
    /// has started but not yet reached its first <c>await</c> is therefore already counted, so the drain
    /// waits for it and its ack goes out before the transport closes. Every true return is paired with
    /// one <see cref="EndWork"/>.
    /// </summary>
    internal bool TryBeginWork()
    {
        Interlocked.Increment(ref _running); // a full fence: the read below cannot move before it
        if (_shuttingDown)
        {
            Interlocked.Decrement(ref _running);
            return false;
        }
        return true;
    }

    internal void EndWork() => Interlocked.Decrement(ref _running);

    /// <summary>The Engine.IO endpoint under this server (set by <c>MapSocketIO</c>).</summary>
    internal EngineServer? Engine { get; set; }

    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void CountLimitHit() => Interlocked.Increment(ref _limitHits);

    /// <summary>
    /// A snapshot of this node's state, read on demand (nothing is counted on the send path): connections,
    /// sockets and rooms per the adapters, acks waited for, running handlers and refusals. After every client
    /// has left, everything but the refusal totals reads zero.
    /// </summary>
    public SocketIOStatistics GetStatistics()
    {
        int sockets = 0, rooms = 0, pendingAcks = 0;
        foreach (var ns in _namespaces.Values)
        {
            rooms += ns.Adapter.LocalRoomCount;
            foreach (var socket in ns.Sockets)
            {
                sockets++;
                pendingAcks += socket.PendingAckCount;
            }
        }
        return new SocketIOStatistics(Engine?.SessionCount ?? 0, _connections.Count, sockets, rooms, pendingAcks,
            RunningHandlers, Engine?.RefusedHandshakes ?? 0, Interlocked.Read(ref _rateLimited),
            Interlocked.Read(ref _limitHits), _namespaces.Count);
    }
}

/// <summary>What <see cref="SocketIOServer.GetStatistics"/> reads.</summary>
/// <param name="EngineSessions">Engine.IO sessions of the endpoint (open, or closing while their last packets go out).</param>
/// <param name="Connections">Engine connections known to the Socket.IO layer.</param>
/// <param name="Sockets">Sockets connected, all namespaces.</param>
/// <param name="Rooms">Rooms with a member on this node, socket-id rooms included.</param>
/// <param name="PendingAcks">Acks the server waits for from clients.</param>
/// <param name="RunningHandlers">Event handlers and middlewares running now.</param>
/// <param name="RefusedHandshakes">Handshakes refused by MaxSessions, the handshake rate or shutdown, since start.</param>
/// <param name="RateLimitedEvents">Events refused by the event rate limit, since start.</param>
/// <param name="LimitRefusals">Operations refused by the other Socket.IO limits, since start.</param>
/// <param name="Namespaces">Namespaces created (they are kept, as in Node).</param>
public sealed record SocketIOStatistics(int EngineSessions, int Connections, int Sockets, int Rooms, int PendingAcks,
    int RunningHandlers, long RefusedHandshakes, long RateLimitedEvents, long LimitRefusals, int Namespaces);
