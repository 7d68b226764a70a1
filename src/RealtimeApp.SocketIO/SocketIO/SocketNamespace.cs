using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// A namespace: its sockets, its connection middleware, its connection listeners and its adapter (rooms,
/// fan-out). Broadcast shortcuts (<c>Emit</c>, <see cref="To"/>, …) address every socket in it.
/// </summary>
public sealed partial class SocketNamespace
{
    private readonly ConcurrentDictionary<string, SocketContext> _sockets = new(StringComparer.Ordinal);
    private Func<SocketContext, Func<Task>, Task>[] _middlewares = [];
    private Func<SocketContext, Task>[] _onConnection = [];
    private long _nextAckId = -1;

    internal SocketNamespace(SocketIOServer server, string name)
    {
        Server = server;
        Name = name;
        _recovery = server.Options.ConnectionStateRecovery;
        var context = new AdapterContext(this);
        Adapter = server.AdapterFactory?.Create(context) ?? new InMemoryAdapter(context, _recovery);
        // Asked once: the adapter's capability is part of its contract, not something that changes later.
        StoresPackets = _recovery is not null && Adapter.SupportsRecovery;
    }

    private readonly ConnectionStateRecoveryOptions? _recovery;

    /// <summary>
    /// Whether events are stored for connection state recovery (then each carries an offset): recovery is on
    /// and the adapter says it stores sessions and packets (the in-memory one does; Node's Redis adapter, and
    /// so ours, does not: recovery is then off).
    /// </summary>
    internal bool StoresPackets { get; }

    /// <summary>
    /// An event for this namespace. With recovery on, one that is not volatile gets an offset (its last
    /// argument) and is stored by the adapter; volatile ones and those waiting for acks are not (Node's rule).
    /// </summary>
    internal EncodedPacket EventPacket<TArgs>(string eventName, scoped TArgs args, bool volatileSend)
        where TArgs : IPayloadArguments, allows ref struct =>
        new(StoresPackets && !volatileSend
            ? OutgoingPacket.StoredEvent(Name, eventName, args, RecoveryOffset.Next(Server.Time))
            : OutgoingPacket.Event(Name, eventName, args));

    /// <summary>The namespace name, starting with <c>/</c>.</summary>
    public string Name { get; }

    /// <summary>Rooms and fan-out for this namespace.</summary>
    public ISocketIOAdapter Adapter { get; }

    /// <summary>The sockets connected to this namespace on this node.</summary>
    public ICollection<SocketContext> Sockets => _sockets.Values;

    internal SocketIOServer Server { get; }

    /// <summary>
    /// Adds connection middleware, run in order for every CONNECT before the socket joins (Node's
    /// <c>namespace.use</c>). Call <c>next()</c> to go on. To refuse, throw
    /// <see cref="ConnectionRefusedException"/> (its message and data reach the client's
    /// <c>connect_error</c>) or any exception (its message does); returning without calling
    /// <c>next()</c> refuses too.
    /// </summary>
    public SocketNamespace Use(Func<SocketContext, Func<Task>, Task> middleware)
    {
        _middlewares = [.. _middlewares, middleware];
        return this;
    }

    /// <summary>Listens for sockets joining (Node's <c>namespace.on("connection")</c>).</summary>
    public SocketNamespace OnConnection(Func<SocketContext, Task> handler)
    {
        _onConnection = [.. _onConnection, handler];
        return this;
    }

    /// <summary>Node's <c>prependListener("connection")</c>: the admin UI sees a socket before the app's handlers.</summary>
    internal void PrependConnection(Func<SocketContext, Task> handler) => _onConnection = [handler, .. _onConnection];

    /// <summary>Listens for sockets joining, synchronously.</summary>
    public SocketNamespace OnConnection(Action<SocketContext> handler) =>
        OnConnection(s => { handler(s); return Task.CompletedTask; });

    /// <summary>
    /// Listens for <paramref name="eventName"/> sent by the other servers of the cluster with
    /// <see cref="ServerSideEmit"/> (Node's <c>namespace.on(event)</c> for server-side events).
    /// </summary>
    public SocketNamespace OnServerSideEmit(string eventName, Action<ServerSideEvent> handler)
    {
        lock (_serverSideHandlers)
        {
            _serverSideHandlers[eventName] = _serverSideHandlers.TryGetValue(eventName, out var existing) ? [.. existing, handler] : [handler];
        }
        return this;
    }

    /// <summary>Sends an event to the other servers of the cluster (nothing happens on a single node).</summary>
    [RequiresUnreferencedCode(ClusterMessage)]
    [RequiresDynamicCode(ClusterMessage)]
    public void ServerSideEmit(string eventName, params object?[] args) =>
        _ = ObserveAsync(Adapter.ServerSideEmitAsync(eventName, args, timeout: null));

    /// <summary>
    /// Sends an event to the other servers and waits for each one's answer (Node's
    /// <c>serverSideEmitWithAck</c>).
    /// </summary>
    /// <exception cref="TimeoutException">Not every server answered within <paramref name="timeout"/> (default: the ack default).</exception>
    [RequiresUnreferencedCode(ClusterMessage)]
    [RequiresDynamicCode(ClusterMessage)]
    public Task<JsonElement[]> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout = null) =>
        Adapter.ServerSideEmitAsync(eventName, args, timeout ?? Server.Options.DefaultAckTimeout);

    private const string ClusterMessage =
        "A cluster adapter serializes the arguments as their runtime types, which may need reflection. "
        + "In trimmed or NativeAOT apps pass JsonElement or JsonNode arguments.";

    /// <summary>Runs the listeners of a server-side event that came from another server.</summary>
    internal void OnServerSideEvent(ServerSideEvent e)
    {
        Action<ServerSideEvent>[]? handlers;
        lock (_serverSideHandlers)
        {
            _serverSideHandlers.TryGetValue(e.Name, out handlers);
        }
        foreach (var handler in handlers ?? [])
        {
            try
            {
                handler(e);
            }
            catch (Exception ex)
            {
                Server.Log.HandlerFailed(null, ex);
            }
        }
    }

    private readonly Dictionary<string, Action<ServerSideEvent>[]> _serverSideHandlers = new(StringComparer.Ordinal);

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            Server.Log.HandlerFailed(null, ex);
        }
    }

    /// <summary>Sends an event, with no arguments, to every socket of the namespace.</summary>
    public void Emit(string eventName) => new BroadcastOperator(this).Emit(eventName);

    /// <summary>Sends an event with <paramref name="arg"/>, written with <paramref name="typeInfo"/> (trim- and AOT-safe), to every socket of the namespace.</summary>
    public void Emit<T>(string eventName, T arg, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        new BroadcastOperator(this).Emit(eventName, arg, typeInfo);

    /// <summary>Sends an event, each argument serialized as its runtime type, to every socket of the namespace.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(Protocol.SocketPayload.ReflectionMessage)]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(Protocol.SocketPayload.ReflectionMessage)]
    public void Emit(string eventName, params object?[] args) => new BroadcastOperator(this).Emit(eventName, args);

    /// <summary>Targets the sockets in <paramref name="rooms"/>.</summary>
    public BroadcastOperator To(params string[] rooms) => new BroadcastOperator(this).To(rooms);

    /// <summary>Same as <see cref="To"/>.</summary>
    public BroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Targets every socket except those in <paramref name="rooms"/>.</summary>
    public BroadcastOperator Except(params string[] rooms) => new BroadcastOperator(this).Except(rooms);

    /// <summary>Targets every socket, dropping the packet for those that cannot take it now.</summary>
    public BroadcastOperator Volatile => new BroadcastOperator(this).Volatile;

    /// <summary>Targets the sockets of this node only (with a cluster adapter, nothing is published).</summary>
    public BroadcastOperator Local => new BroadcastOperator(this).Local;

    /// <summary>Targets every socket, waiting at most <paramref name="timeout"/> for acks.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new BroadcastOperator(this).Timeout(timeout);

    /// <summary>Every socket, with false sent uncompressed over permessage-deflate WebSockets (Node's <c>compress(false)</c>).</summary>
    public BroadcastOperator Compress(bool compress) => new BroadcastOperator(this).Compress(compress);

    /// <summary>Every socket of the namespace on this node (see <see cref="FetchSocketsAsync"/> for the cluster).</summary>
    public IReadOnlyList<SocketContext> FetchSockets() => new BroadcastOperator(this).FetchSockets();

    /// <summary>Every socket of the namespace on every node (with a cluster adapter), see <see cref="BroadcastOperator.FetchSocketsAsync"/>.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => new BroadcastOperator(this).FetchSocketsAsync();

    /// <summary>
    /// Every room with at least one member, on every node (Node's <c>adapter.allRooms()</c>); socket ids are
    /// rooms too.
    /// </summary>
    /// <exception cref="TimeoutException">A node did not answer within the adapter's request timeout.</exception>
    public async Task<IReadOnlySet<string>> AllRoomsAsync()
    {
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in Adapter.Sockets(new Adapters.BroadcastOptions()))
        {
            rooms.UnionWith(Adapter.SocketRooms(id));
        }
        rooms.UnionWith(await Adapter.RemoteRoomsAsync());
        return rooms;
    }

    /// <summary>Makes every socket of the namespace join <paramref name="rooms"/>.</summary>
    public void SocketsJoin(params string[] rooms) => new BroadcastOperator(this).SocketsJoin(rooms);

    /// <summary>Makes every socket of the namespace leave <paramref name="rooms"/>.</summary>
    public void SocketsLeave(params string[] rooms) => new BroadcastOperator(this).SocketsLeave(rooms);

    /// <summary>Disconnects every socket of the namespace (and their connections when <paramref name="close"/>).</summary>
    public void DisconnectSockets(bool close = false) => new BroadcastOperator(this).DisconnectSockets(close);

    /// <summary>The socket with <paramref name="id"/> on this node, if connected.</summary>
    public SocketContext? FindSocket(string id) => _sockets.TryGetValue(id, out var socket) ? socket : null;

    internal long NextAckId() => Interlocked.Increment(ref _nextAckId);

    internal void Remove(SocketContext socket)
    {
        if (_sockets.TryRemove(new(socket.Id, socket)) && IsChild && _sockets.IsEmpty && Server.Options.CleanupEmptyChildNamespaces)
        {
            Server.RemoveEmptyChild(this);
        }
    }

    /// <summary>Created by a dynamic namespace's match (Node's child of a <c>ParentNamespace</c>).</summary>
    internal bool IsChild { get; init; }

    /// <summary>True while this namespace has sockets (for the removal of an empty child).</summary>
    internal bool IsEmpty => _sockets.IsEmpty;

    /// <summary>
    /// CONNECT: recovery of a lost session if the client asks for one and it is still kept; middleware in
    /// order (skipped for a recovered socket by default); then (if the connection is still there) join the
    /// own-id room, send the missed packets and the CONNECT reply, then the connection listeners — so events
    /// they emit follow the reply on the wire.
    /// </summary>
    /// <returns>The socket, and null when it joined; otherwise why not and what refused it (for the log and the trace).</returns>
    internal async Task<(SocketContext Socket, string? Refusal, string? Cause)> ConnectAsync(SocketIOConnection connection, JsonElement auth)
    {
        var legacy = connection.IsLegacyClient;
        var handshake = new SocketHandshake(connection.Session.Request, auth);
        var (socket, restored) = legacy ? (null, null) : await TryRecoverAsync(connection, handshake, auth);
        socket ??= new SocketContext(this, connection,
            legacy ? LegacyProtocol.SocketId(Name, connection.Session.Id) : SocketIOServer.NewId(), handshake,
            pid: StoresPackets && !legacy ? SocketIOServer.NewId() : null);

        // Authorization first and always (a recovered socket too: the user may have changed since).
        var refusal = await AuthorizeAsync(socket);
        var cause = refusal is null ? "Middleware" : "Authorization";
        refusal ??= restored is not null && _recovery!.SkipMiddlewares ? null : await RunMiddlewareAsync(socket);
        if (!connection.Session.IsOpen || refusal is not null)
        {
            if (restored is not null)
            {
                // The recovered state goes with the refused (or vanished) socket; nothing of it was sent.
                Adapter.DeleteAll(socket.Id);
                Remove(socket);
            }
            if (refusal is { } refused && connection.Session.IsOpen)
            {
                var payload = legacy ? LegacyProtocol.ConnectError(refused.Message, refused.Data) : ConnectError(refused.Message, refused.Data);
                connection.Send(OutgoingPacket.Create(SocketPacketType.ConnectError, Name, null, payload));
            }
            return (socket, refusal?.Message ?? "connection closed during the join", connection.Session.IsOpen ? cause : "ConnectionClosed");
        }

        if (restored is null)
        {
            _sockets[socket.Id] = socket;
            Adapter.AddAll(socket.Id, socket.UserId is { } user ? [socket.Id, SocketIOServer.UserRoom(user)] : [socket.Id]);
        }
        else
        {
            ReplaceUserRoom(socket);
        }
        socket.MarkConnected();
        connection.Add(socket);
        if (restored is not null)
        {
            // Before the reply, as Node: the client holds events until it is connected, then handles them.
            foreach (var missed in restored.MissedPackets)
            {
                connection.Send(missed.Packet);
            }
        }
        connection.Send(OutgoingPacket.Create(SocketPacketType.Connect, Name, null, ConnectReply(socket, legacy)));
        socket.ReleaseHeld();
        Server.Log.SocketConnected(socket, connection.Session.Id, connection.Session.Transport);
        foreach (var handler in _onConnection)
        {
            Server.Invoke(handler, socket);
        }
        if (Server.IsShuttingDown)
        {
            // This CONNECT began before the drain and joined after BeginShutdown told every socket.
            Server.TellShutdown(socket);
        }
        return (socket, null, null);
    }

    /// <summary>
    /// With recovery on and <c>{pid, offset}</c> (strings) in the auth payload: the kept session, taken over by
    /// a new socket that the adapter registers and puts back in its rooms in one step.
    /// </summary>
    private async ValueTask<(SocketContext? Socket, RestoredSession? Restored)> TryRecoverAsync(SocketIOConnection connection,
        SocketHandshake handshake, JsonElement auth)
    {
        if (!StoresPackets || auth.ValueKind != JsonValueKind.Object
            || !auth.TryGetProperty("pid", out var pid) || pid.ValueKind != JsonValueKind.String
            || !auth.TryGetProperty("offset", out var offset) || offset.ValueKind != JsonValueKind.String)
        {
            return (null, null);
        }
        SocketContext? socket = null;
        var restored = await Adapter.RestoreSessionAsync(pid.GetString()!, offset.GetString()!, session =>
        {
            socket = new SocketContext(this, connection, handshake, session);
            _sockets[session.Sid] = socket;
        });
        return restored is null ? (null, null) : (socket, restored);
    }

    // {"sid":…} (and "pid" with recovery on); protocol 4 (v2 clients) has no payload: they know their id.
    private static byte[] ConnectReply(SocketContext socket, bool legacy)
    {
        if (legacy)
        {
            return [];
        }
        return JsonSerializer.SerializeToUtf8Bytes(new ConnectReply(socket.Id, socket.Pid), SocketIOJsonContext.Payload.ConnectReply);
    }

    /// <returns>null when every middleware called next; otherwise why the socket is refused.</returns>
    private async Task<(string Message, JsonElement? Data)?> RunMiddlewareAsync(SocketContext socket)
    {
        var middlewares = _middlewares;
        var passed = 0;
        try
        {
            Task Next(int index)
            {
                if (index == middlewares.Length)
                {
                    passed = index;
                    return Task.CompletedTask;
                }
                return middlewares[index](socket, () => Next(index + 1));
            }
            await Next(0);
        }
        catch (ConnectionRefusedException refused)
        {
            return (refused.Message, refused.JsonData);
        }
        catch (Exception ex)
        {
            return (ex.Message, null);
        }
        return passed == middlewares.Length ? null : ("connection refused", null);
    }

    internal static byte[] ConnectError(string message, JsonElement? data)
    {
        // {"message":…,"data":…}, data omitted when there is none (as Node does when err.data is undefined).
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = SocketPayload.DefaultOptions.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("message"u8, message);
            if (data is not null)
            {
                json.WritePropertyName("data"u8);
                data.Value.WriteTo(json);
            }
            json.WriteEndObject();
        }
        return stream.ToArray();
    }
}
