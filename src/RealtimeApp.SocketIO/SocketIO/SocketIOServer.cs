using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.Diagnostics;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// The Socket.IO server: the namespace registry on top of an Engine.IO endpoint. Inject it anywhere
/// (controllers, background services) to emit: <c>io.Of("/item").To("room").Emit(...)</c>.
/// </summary>
public sealed partial class SocketIOServer : IEngineSessionHandler, IEngineUpgradeObserver
{
    private readonly ConcurrentDictionary<string, SocketNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<EngineSession, SocketIOConnection> _connections = new();
    private (Func<string, JsonElement, bool> Match, Action<SocketNamespace> Configure)[] _dynamic = [];

    private readonly IServiceScopeFactory _scopes;

    /// <summary>Creates the server; <c>AddSocketIO</c> registers one as a singleton.</summary>
    public SocketIOServer(IOptions<SocketIOOptions> options, ILogger<SocketIOServer> logger, TimeProvider time,
        IServiceScopeFactory scopes, ISocketIOAdapterFactory? adapters = null)
    {
        _scopes = scopes;
        AdapterFactory = adapters;
        Options = options.Value;
        Log = new SocketIOLog(logger);
        Time = time;
        ConnectTimeouts = new DeadlineQueue(time, Options.ConnectTimeout);
        Of("/");
    }

    /// <summary>The options in force.</summary>
    public SocketIOOptions Options { get; }

    /// <summary>Engine connections currently open.</summary>
    public int ConnectionCount => _connections.Count;

    internal SocketIOLog Log { get; }

    /// <summary>The admin UI's seam (<see cref="ISocketIOObserver"/>); null unless it is on.</summary>
    internal ISocketIOObserver? Observer { get; private set; }

    private readonly ConcurrentDictionary<SocketNamespace, byte> _announced = new();

    /// <summary>Every namespace created so far (Node's <c>io._nsps</c>).</summary>
    internal ICollection<SocketNamespace> Namespaces => _namespaces.Values;

    /// <summary>The engine sessions open now (the admin UI counts those still polling).</summary>
    internal ICollection<EngineSession> EngineSessions => _connections.Keys;

    /// <summary>Starts observing; the namespaces already there are told at once, as later ones will be.</summary>
    internal void Observe(ISocketIOObserver observer)
    {
        Observer = observer;
        foreach (var ns in _namespaces.Values)
        {
            if (_announced.TryAdd(ns, 0))
            {
                observer.NamespaceCreated(ns);
            }
        }
    }

    internal ISocketIOAdapterFactory? AdapterFactory { get; }

    internal TimeProvider Time { get; }

    /// <summary>Every connection's wait for its first namespace join (<see cref="SocketIOOptions.ConnectTimeout"/>), on one timer.</summary>
    internal DeadlineQueue ConnectTimeouts { get; }

    /// <summary>The main namespace <c>/</c> (Node's <c>io.sockets</c>).</summary>
    public SocketNamespace Sockets => Of("/");

    /// <summary>The namespace <paramref name="name"/>, created on first use (a missing leading <c>/</c> is added).</summary>
    public SocketNamespace Of(string name)
    {
        name = name.StartsWith('/') ? name : "/" + name;
        if (_namespaces.TryGetValue(name, out var existing))
        {
            return existing;
        }
        var ns = _namespaces.GetOrAdd(name, static (n, server) => new SocketNamespace(server, n), this);
        // Node's "new_namespace": told once, by whichever caller won the race to create it.
        if (Observer is { } observer && _announced.TryAdd(ns, 0))
        {
            observer.NamespaceCreated(ns);
        }
        return ns;
    }

    /// <summary>
    /// Dynamic namespaces: a CONNECT to an unknown name matching <paramref name="pattern"/> creates it and
    /// runs <paramref name="configure"/> on it (Node's <c>io.of(regex)</c>).
    /// </summary>
    public SocketIOServer Of(Regex pattern, Action<SocketNamespace> configure) =>
        Of((name, _) => pattern.IsMatch(name), configure);

    /// <summary>Dynamic namespaces decided by a predicate over the name and the CONNECT auth payload.</summary>
    public SocketIOServer Of(Func<string, JsonElement, bool> match, Action<SocketNamespace> configure)
    {
        _dynamic = [.. _dynamic, (match, configure)];
        return this;
    }

    /// <summary>Sends an event, with no arguments, to every socket of the main namespace.</summary>
    public void Emit(string eventName) => Sockets.Emit(eventName);

    /// <summary>Sends an event with <paramref name="arg"/>, written with <paramref name="typeInfo"/> (trim- and AOT-safe), to every socket of the main namespace.</summary>
    public void Emit<T>(string eventName, T arg, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        Sockets.Emit(eventName, arg, typeInfo);

    /// <summary>Sends an event, each argument serialized as its runtime type, to every socket of the main namespace.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(Protocol.SocketPayload.ReflectionMessage)]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(Protocol.SocketPayload.ReflectionMessage)]
    public void Emit(string eventName, params object?[] args) => Sockets.Emit(eventName, args);

    /// <summary>The main namespace, with false sent uncompressed over permessage-deflate WebSockets (Node's <c>io.compress(false)</c>).</summary>
    public BroadcastOperator Compress(bool compress) => Sockets.Compress(compress);

    /// <summary>Targets rooms of the main namespace.</summary>
    public BroadcastOperator To(params string[] rooms) => Sockets.To(rooms);

    /// <summary>Targets every socket of the user <paramref name="userId"/> in the main namespace (SignalR's <c>Clients.User</c>).</summary>
    public BroadcastOperator ToUser(string userId) => Sockets.ToUser(userId);

    /// <summary>
    /// The room every socket of a signed-in user joins when it connects (<see cref="SocketContext.UserId"/>):
    /// <c>"user:" + userId</c>. Use <see cref="SocketNamespace.ToUser"/> to reach it; this is for
    /// <c>Except</c>, <c>Join</c> and adapters. Let no client join a room by a name it chooses that starts with
    /// <c>user:</c>.
    /// </summary>
    public static string UserRoom(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return UserRoomPrefix + userId;
    }

    internal const string UserRoomPrefix = "user:";

    void IEngineSessionHandler.OnOpened(EngineSession session)
    {
        var connection = new SocketIOConnection(this, session);
        _connections[session] = connection;
        Observer?.EngineOpened(session);
        if (connection.IsLegacyClient)
        {
            // Protocol 4 (v2 clients): the main namespace is joined without a CONNECT from the client.
            _ = ConnectAsync(connection, "/", EmptyObject);
        }
    }

    void IEngineSessionHandler.OnMessage(EngineSession session, DecodedPacket message)
    {
        if (_connections.TryGetValue(session, out var connection))
        {
            Observer?.PacketIn(message.Data.Length);
            connection.OnMessage(message);
        }
    }

    void IEngineSessionHandler.OnClosed(EngineSession session, EngineCloseReason reason, string? description)
    {
        if (_connections.TryRemove(session, out var connection))
        {
            Observer?.EngineClosed(session, reason);
            connection.OnEngineClosed(reason);
        }
    }

    void IEngineUpgradeObserver.OnUpgraded(EngineSession session)
    {
        if (Observer is { } observer && _connections.TryGetValue(session, out var connection))
        {
            observer.EngineUpgraded(session, connection.CurrentSockets());
        }
    }

    internal async Task ConnectAsync(SocketIOConnection connection, string name, JsonElement? authPayload)
    {
        // At the top of this async method: the activity becomes current for the middlewares and connection
        // listeners, and the caller (the receive loop) never sees the change.
        using var activity = SocketIOTracing.StartNamespaceConnect(name, connection.Session.Id);
        var auth = authPayload ?? EmptyObject;
        if (!_namespaces.TryGetValue(name, out var ns))
        {
            foreach (var (match, configure) in _dynamic)
            {
                if (match(name, auth))
                {
                    var created = false;
                    ns = _namespaces.GetOrAdd(name, n => { created = true; return new SocketNamespace(this, n) { IsChild = true }; });
                    if (created)
                    {
                        configure(ns);
                    }
                    break;
                }
            }
        }
        if (ns is null)
        {
            Log.ConnectRefused(name, connection.Session.Id, "InvalidNamespace", "Invalid namespace");
            SocketIOTracing.ConnectRefused(activity, null, "Invalid namespace");
            // Node sends this one as an object whatever the client's protocol.
            connection.Send(OutgoingPacket.Create(SocketPacketType.ConnectError, name, null,
                SocketNamespace.ConnectError("Invalid namespace", null)));
            return;
        }
        if (!TryBeginWork())
        {
            RefuseConnect(connection, name, "server shutting down", "Shutdown", activity);
            return;
        }
        if (!connection.TryBeginConnect(Options.MaxNamespacesPerConnection))
        {
            EndWork();
            CountLimitHit();
            RefuseConnect(connection, name, "namespace limit reached", nameof(SocketIOOptions.MaxNamespacesPerConnection), activity);
            return;
        }
        try
        {
            var (socket, refused, cause) = await ns.ConnectAsync(connection, auth);
            if (refused is null)
            {
                SocketIOTracing.ConnectAccepted(activity, socket.Id);
            }
            else
            {
                Log.ConnectRefused(name, connection.Session.Id, cause!, refused);
                SocketIOTracing.ConnectRefused(activity, socket.Id, refused);
            }
        }
        catch (Exception ex)
        {
            SocketIOTracing.RecordException(activity, ex);
            Log.HandlerFailed(connection.Session.Id, ex);
        }
        finally
        {
            connection.EndConnect();
            EndWork();
        }
    }

    // As a middleware refusal is sent (a bare message to protocol-4 clients).
    private void RefuseConnect(SocketIOConnection connection, string name, string reason, string cause, Activity? activity)
    {
        Log.ConnectRefused(name, connection.Session.Id, cause, reason);
        SocketIOTracing.ConnectRefused(activity, null, reason);
        connection.Send(OutgoingPacket.Create(SocketPacketType.ConnectError, name, null,
            connection.IsLegacyClient ? LegacyProtocol.ConnectError(reason, null) : SocketNamespace.ConnectError(reason, null)));
    }

    internal AsyncServiceScope CreateScope() => _scopes.CreateAsyncScope();

    /// <summary>
    /// Runs application code so that its failure costs nothing but a log line (and, when the library's activity
    /// of the moment is current, e.g. a namespace join's for its connection listeners, an error on it).
    /// </summary>
    internal void Invoke<T>(Func<T, Task> handler, T argument)
    {
        try
        {
            var task = handler(argument);
            if (!task.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(task);
            }
        }
        catch (Exception ex)
        {
            SocketIOTracing.RecordOnCurrent(ex);
            Log.HandlerFailed(null, ex);
        }
    }

    internal void Invoke(Action handler, SocketContext socket)
    {
        try
        {
            handler();
        }
        catch (Exception ex)
        {
            SocketIOTracing.RecordOnCurrent(ex);
            Log.HandlerFailed(socket.Id, ex);
        }
    }

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            SocketIOTracing.RecordOnCurrent(ex);
            Log.HandlerFailed(null, ex);
        }
    }

    /// <summary>20 URL-safe characters from 15 random bytes (the format of Node's ids).</summary>
    internal static string NewId() => EngineServer.NewSessionId();

    internal static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
