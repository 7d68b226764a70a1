using System.Text.Json;

namespace RealtimeApp.SocketIO;

/// <summary>
/// A socket as <c>FetchSocketsAsync</c> returns it, on this node or another (Node's <c>RemoteSocket</c>): its
/// id, rooms, data and handshake as of the fetch, and operations that reach it wherever it is connected.
/// </summary>
public sealed class RemoteSocket
{
    private readonly SocketNamespace _ns;

    /// <summary>A fetched socket (adapters build these from their nodes' answers).</summary>
    public RemoteSocket(SocketNamespace ns, string id, IReadOnlySet<string> rooms, JsonElement data, JsonElement handshake,
        SocketContext? local)
    {
        _ns = ns;
        Id = id;
        Rooms = rooms;
        Data = data;
        Handshake = handshake;
        Local = local;
    }

    /// <summary>The socket id.</summary>
    public string Id { get; }

    /// <summary>Its rooms when fetched (its own id included).</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>Its <c>data</c> when fetched, as JSON.</summary>
    public JsonElement Data { get; }

    /// <summary>Its handshake as Node describes it (headers, time, address, xdomain, secure, issued, url, query, auth).</summary>
    public JsonElement Handshake { get; }

    /// <summary>The socket itself when it is connected to this node; null for one on another node.</summary>
    public SocketContext? Local { get; }

    /// <summary>Sends an event, with no arguments, to it (through its own room, so it works across nodes).</summary>
    public void Emit(string eventName) => _ns.To(Id).Emit(eventName);

    /// <summary>Sends an event with <paramref name="arg"/>, written with <paramref name="typeInfo"/> (trim- and AOT-safe), to it (through its own room, so it works across nodes).</summary>
    public void Emit<T>(string eventName, T arg, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        _ns.To(Id).Emit(eventName, arg, typeInfo);

    /// <summary>Sends an event, each argument serialized as its runtime type, to it (through its own room, so it works across nodes).</summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(Protocol.SocketPayload.ReflectionMessage)]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(Protocol.SocketPayload.ReflectionMessage)]
    public void Emit(string eventName, params object?[] args) => _ns.To(Id).Emit(eventName, args);

    /// <summary>Makes it join <paramref name="rooms"/>.</summary>
    public void Join(params string[] rooms) => _ns.In(Id).SocketsJoin(rooms);

    /// <summary>Makes it leave <paramref name="rooms"/>.</summary>
    public void Leave(params string[] rooms) => _ns.In(Id).SocketsLeave(rooms);

    /// <summary>Disconnects it (and its whole connection when <paramref name="close"/>).</summary>
    public void Disconnect(bool close = false) => _ns.In(Id).DisconnectSockets(close);
}
