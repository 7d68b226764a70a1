using System.Collections.Concurrent;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// One socket: one client in one namespace (Node's <c>Socket</c>; named like <c>HttpContext</c> so it is
/// not confused with the engine session underneath). Thread-safe.
/// </summary>
public sealed partial class SocketContext
{
    private readonly SocketIOConnection _connection;

    /// <summary>The engine connection this socket rides on (the admin UI matches upgrades to sockets).</summary>
    internal SocketIOConnection Connection => _connection;
    private int _connected;

    internal SocketContext(SocketNamespace ns, SocketIOConnection connection, string id, SocketHandshake handshake,
        string? pid = null)
    {
        Namespace = ns;
        _connection = connection;
        Id = id;
        Handshake = handshake;
        Pid = pid;
        UserId = handshake.IsSignedIn ? ns.Server.Options.UserIdProvider(handshake.User) : null;
        if (ns.Server.Options.EventRateLimit is { } limit)
        {
            _eventBudget = new TokenBucket(limit, ns.Server.Time);
        }
    }

    /// <summary>A socket taking over a recovered session: same id, private id and data; deliveries held until <see cref="ReleaseHeld"/>.</summary>
    internal SocketContext(SocketNamespace ns, SocketIOConnection connection, SocketHandshake handshake, PersistedSession session)
        : this(ns, connection, session.Sid, handshake, session.Pid)
    {
        Recovered = true;
        if (session.Data.Count > 0)
        {
            _data = new ConcurrentDictionary<string, object?>(session.Data);
        }
        _held = [];
    }

    /// <summary>
    /// The private session id a client presents to recover this socket after losing its connection (sent in
    /// the CONNECT reply only, never broadcast); null when connection state recovery is off.
    /// </summary>
    internal string? Pid { get; }

    /// <summary>The Engine.IO session this socket rides on (tests observe its transport).</summary>
    internal EngineIO.EngineSession EngineSession => _connection.Session;

    /// <summary>
    /// True when this socket is a recovered one (Node's <c>socket.recovered</c>): the client came back within
    /// the recovery window and got its id, rooms, <see cref="Data"/> and the events it missed.
    /// </summary>
    public bool Recovered { get; }

    /// <summary>
    /// The socket id: 20 URL-safe characters, never the engine sid (which is a session secret) — except for
    /// v2 clients (Engine.IO v3), which derive it from the engine sid themselves (<c>sid</c>, <c>/nsp#sid</c>).
    /// </summary>
    public string Id { get; }

    /// <summary>The namespace this socket joined.</summary>
    public SocketNamespace Namespace { get; }

    /// <summary>How the client connected: headers, query, address, time, URL and the CONNECT auth payload.</summary>
    public SocketHandshake Handshake { get; }

    /// <summary>
    /// The signed-in user (SignalR's <c>Context.User</c>): the principal of the engine handshake request, after
    /// the app's authentication; anonymous (<c>User.Identity.IsAuthenticated</c> false) when nobody signed in.
    /// </summary>
    public System.Security.Claims.ClaimsPrincipal User => Handshake.User;

    /// <summary>
    /// The signed-in user's id (<see cref="SocketIOOptions.UserIdProvider"/>; by default the NameIdentifier
    /// claim), or null when anonymous. A socket with one is in that user's room: <see cref="SocketNamespace.ToUser"/>
    /// reaches every tab of the user, on every node of a cluster.
    /// </summary>
    public string? UserId { get; }

    /// <summary>
    /// Per-socket application state (Node's <c>socket.data</c>). <c>FetchSocketsAsync</c> (and a cluster adapter)
    /// sends it as JSON, each value as its runtime type: in trimmed or NativeAOT apps keep the values to strings,
    /// numbers, booleans, <c>string[]</c>, <c>JsonElement</c> or <c>JsonNode</c> (the library's own metadata covers them).
    /// </summary>
    public IDictionary<string, object?> Data =>
        Volatile.Read(ref _data)
        ?? Interlocked.CompareExchange(ref _data, new ConcurrentDictionary<string, object?>(), null)
        ?? _data!;

    private ConcurrentDictionary<string, object?>? _data; // created on first use: most sockets keep no data

    /// <summary><see cref="Data"/> as JSON (<c>{}</c> when there is none), through the payload options' resolver.</summary>
    internal System.Text.Json.JsonElement DataToJson() => System.Text.Json.JsonSerializer.SerializeToElement<IDictionary<string, object?>>(
        (IDictionary<string, object?>?)_data ?? new Dictionary<string, object?>(),
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<IDictionary<string, object?>>)
            Protocol.SocketPayload.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>True from the CONNECT reply until the socket disconnects.</summary>
    public bool Connected => _connected == 1;

    /// <summary>The rooms this socket is in, its own id included.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.SocketRooms(Id);

    /// <summary>The engine transport in use now ("polling" or "websocket").</summary>
    public EngineTransports Transport => _connection.Session.Transport;

    /// <summary>Raised before the socket leaves its rooms (so <see cref="Rooms"/> is still readable).</summary>
    public event Action<SocketContext, DisconnectReason>? Disconnecting;

    /// <summary>Raised once the socket has disconnected.</summary>
    public event Action<SocketContext, DisconnectReason>? Disconnected;

    /// <summary>Joins <paramref name="rooms"/>.</summary>
    /// <exception cref="SocketIOLimitExceededException">Past <see cref="SocketIOOptions.MaxRoomsPerSocket"/> ("room limit reached"); then none is joined.</exception>
    public void Join(params string[] rooms)
    {
        if (Namespace.Server.Options.MaxRoomsPerSocket is { } max)
        {
            var joined = Namespace.Adapter.SocketRooms(Id);
            // Neither the own-id room nor the user room (both the library's) count against the app's limit.
            var after = joined.Count - (joined.Contains(Id) ? 1 : 0)
                - (UserId is { } user && joined.Contains(SocketIOServer.UserRoom(user)) ? 1 : 0);
            foreach (var room in rooms.Distinct(StringComparer.Ordinal))
            {
                after += room == Id || joined.Contains(room) ? 0 : 1;
            }
            if (after > max)
            {
                Namespace.Server.CountLimitHit();
                throw new SocketIOLimitExceededException(nameof(SocketIOOptions.MaxRoomsPerSocket), $"room limit reached ({max})");
            }
        }
        Namespace.Adapter.AddAll(Id, rooms);
    }

    /// <summary>Leaves <paramref name="room"/>.</summary>
    public void Leave(string room) => Namespace.Adapter.Delete(Id, room);

    /// <summary>Every other socket of the namespace (Node's <c>socket.broadcast</c>).</summary>
    public BroadcastOperator Broadcast => new BroadcastOperator(Namespace).Except(Id);

    /// <summary>The sockets in <paramref name="rooms"/>, this one excluded (Node's <c>socket.to</c>).</summary>
    public BroadcastOperator To(params string[] rooms) => Broadcast.To(rooms);

    /// <summary>
    /// Disconnects this socket from its namespace (the client gets a DISCONNECT and will not reconnect on
    /// its own). With <paramref name="close"/>, the whole connection closes, every namespace included.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected)
        {
            return;
        }
        if (close)
        {
            _connection.Close(DisconnectReason.ServerNamespaceDisconnect, notifyClient: true, origin: this);
            return;
        }
        Deliver(OutgoingPacket.Create(SocketPacketType.Disconnect, Namespace.Name, null, []), volatileSend: false);
        OnClose(DisconnectReason.ServerNamespaceDisconnect);
    }

    private int _toldShutdown;

    /// <summary>True the first time only: the shutdown event goes to each socket once.</summary>
    internal bool TryMarkToldShutdown() => Interlocked.Exchange(ref _toldShutdown, 1) == 0;

    // Non-null while a recovered socket's missed packets and CONNECT reply go out: live deliveries wait
    // here so they follow them. Locked on itself (no lock object per socket for a rare case).
    private List<OutgoingPacket>? _held;

    /// <summary>Hands an encoded packet to the engine session; false when dropped (volatile, or closed).</summary>
    // compress false: over a WebSocket with permessage-deflate, the frames go uncompressed.
    internal bool Deliver(OutgoingPacket packet, bool volatileSend, bool compress = true)
    {
        // Every emit and broadcast to this socket passes here (Node notifies in emit and in the adapter's
        // broadcast, before writing, even if a volatile packet is then dropped); a recovery's missed packets don't.
        if (_anyOutgoing is not null)
        {
            NotifyOutgoing(packet);
        }
        if (Volatile.Read(ref _held) is { } held)
        {
            lock (held)
            {
                if (_held == held)
                {
                    if (volatileSend)
                    {
                        return false;
                    }
                    held.Add(packet); // (a held packet goes out compressed: recovery's rare moment)
                    return true;
                }
            }
        }
        return DeliverNow(packet, volatileSend, compress);
    }

    /// <summary>Sends what was delivered while the recovery was under way, in order, then delivers directly.</summary>
    internal void ReleaseHeld()
    {
        if (_held is not { } held)
        {
            return;
        }
        lock (held)
        {
            foreach (var packet in held)
            {
                DeliverNow(packet, volatileSend: false);
            }
            Volatile.Write(ref _held, null);
        }
    }

    private bool DeliverNow(OutgoingPacket packet, bool volatileSend, bool compress = true)
    {
        var session = _connection.Session;
        if (volatileSend && !session.IsWritable)
        {
            return false;
        }
        foreach (var frame in packet.FramesFor(_connection.Parser))
        {
            if (!session.Send(compress ? frame : frame.Uncompressed))
            {
                return false;
            }
        }
        return true;
    }

    internal void MarkConnected() => _connected = 1;

    /// <summary>Leaves the namespace: disconnecting, rooms left, disconnected. Runs once.</summary>
    internal void OnClose(DisconnectReason reason)
    {
        if (Interlocked.Exchange(ref _connected, 0) != 1)
        {
            return;
        }
        Namespace.Server.Invoke(() => Disconnecting?.Invoke(this, reason), this);
        var persisted = Pid is not null && reason.IsRecoverable()
            ? new PersistedSession(Id, Pid, [.. Rooms], _data is { } data ? new Dictionary<string, object?>(data) : [])
            : null;
        Namespace.Adapter.DeleteAll(Id);
        Namespace.Remove(this);
        _connection.Remove(this);
        // Kept after the socket is gone, so a quick recovery under the same id cannot be undone by this
        // close; what is broadcast meanwhile is stored, and the client's offset says what it still needs.
        if (persisted is not null)
        {
            Namespace.Adapter.PersistSession(persisted);
        }
        EndPendingAcks(reason);
        Namespace.Server.Log.SocketDisconnected(this, reason);
        Namespace.Server.Invoke(() => Disconnected?.Invoke(this, reason), this);
    }
}

internal static class ReservedEvents
{
    private static readonly HashSet<string> Names =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    public static IEnumerable<string> All => Names;

    public static bool IsReserved(string eventName) => Names.Contains(eventName);

    public static void Check(string eventName)
    {
        if (IsReserved(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name", nameof(eventName));
        }
    }
}
