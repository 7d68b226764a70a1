using System.Text.Json;

namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// Rooms and fan-out for one namespace (Node's socket.io-adapter contract), the public contract a third-party
/// adapter implements. The in-memory adapter serves one node; a cluster adapter (Redis) keeps its local rooms
/// in an <see cref="InMemoryAdapter"/> and adds the other nodes' share through the members with defaults.
/// Its <see cref="ISocketIOAdapterFactory"/> gets an <see cref="AdapterContext"/> with the socket operations an
/// adapter performs. Every adapter should pass the specification tests (<c>AdapterSpecification</c> in the
/// library's tests).
/// </summary>
/// <remarks>
/// An interface rather than Node's <c>Adapter</c> base class: the library calls an adapter only through these
/// members, default members keep old adapters compiling when one is added, and what the library lends an
/// adapter lives on <see cref="AdapterContext"/> — so reusing the in-memory table is delegation (as SignalR's
/// Redis backplane keeps its own connection store) and no locking detail of it becomes a contract.
/// </remarks>
public interface ISocketIOAdapter
{
    /// <summary>Number of nodes serving this namespace (1 for the in-memory adapter).</summary>
    ValueTask<int> ServerCountAsync();

    /// <summary>Adds socket <paramref name="id"/> to <paramref name="rooms"/>.</summary>
    void AddAll(string id, IEnumerable<string> rooms);

    /// <summary>Removes socket <paramref name="id"/> from <paramref name="room"/>.</summary>
    void Delete(string id, string room);

    /// <summary>Removes socket <paramref name="id"/> from every room.</summary>
    void DeleteAll(string id);

    /// <summary>The rooms socket <paramref name="id"/> is in (empty when unknown).</summary>
    IReadOnlySet<string> SocketRooms(string id);

    /// <summary>Rooms with at least one member on this node, socket-id rooms included (for statistics; 0 when not known).</summary>
    int LocalRoomCount => 0;

    /// <summary>The ids selected by <paramref name="options"/>' rooms and exceptions.</summary>
    IReadOnlyCollection<string> Sockets(BroadcastOptions options);

    /// <summary>Sends the already-encoded <paramref name="packet"/> to every selected socket; returns how many.</summary>
    int Broadcast(EncodedPacket packet, BroadcastOptions options);

    // Cluster operations: what the other nodes must do for a server-side operation. The local part is done
    // by the caller (BroadcastOperator); single-node adapters have nothing to add (the defaults).

    /// <summary>Makes the selected sockets on the other nodes join <paramref name="rooms"/> (Node's <c>addSockets</c>).</summary>
    void AddRemoteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
    }

    /// <summary>Makes the selected sockets on the other nodes leave <paramref name="rooms"/> (Node's <c>delSockets</c>).</summary>
    void DeleteRemoteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
    }

    /// <summary>Disconnects the selected sockets on the other nodes (Node's <c>disconnectSockets</c>).</summary>
    void DisconnectRemoteSockets(BroadcastOptions options, bool close)
    {
    }

    /// <summary>
    /// The other nodes' share of a broadcast with acks (Node's <c>broadcastWithAck</c>, remote part): each node
    /// reports how many clients it reached through <paramref name="onClientCount"/>, and each client's answer
    /// (as Node's, its first argument only, as a one-element array) comes through <paramref name="onAck"/>, until <paramref name="timeout"/>.
    /// <paramref name="packet"/> has no ack id: each node gives its own.
    /// </summary>
    void BroadcastWithRemoteAcks(EncodedPacket packet, BroadcastOptions options, TimeSpan timeout,
        Action<int> onClientCount, Action<PacketData> onAck)
    {
    }

    /// <summary>
    /// The selected sockets on the other nodes (Node's <c>fetchSockets</c>, remote part), waiting for every
    /// node's answer.
    /// </summary>
    /// <exception cref="TimeoutException">A node did not answer in time.</exception>
    Task<IReadOnlyList<RemoteSocket>> FetchRemoteSocketsAsync(BroadcastOptions options) =>
        Task.FromResult<IReadOnlyList<RemoteSocket>>([]);

    /// <summary>The rooms that have members on the other nodes (Node's <c>allRooms</c>, remote part).</summary>
    /// <exception cref="TimeoutException">A node did not answer in time.</exception>
    Task<IReadOnlyCollection<string>> RemoteRoomsAsync() => Task.FromResult<IReadOnlyCollection<string>>([]);

    /// <summary>
    /// Sends an event to the other servers of the cluster (Node's <c>serverSideEmit</c>); with
    /// <paramref name="timeout"/>, waits for one answer per server. Single-node adapters have no one to
    /// tell: no answers.
    /// </summary>
    /// <exception cref="TimeoutException">Not every server answered in time.</exception>
    Task<JsonElement[]> ServerSideEmitAsync(string eventName, object?[] args, TimeSpan? timeout) =>
        Task.FromResult<JsonElement[]>([]);

    /// <summary>
    /// Whether this adapter does connection state recovery (Node's <c>SessionAwareAdapter</c>): it keeps
    /// every broadcast that has an <see cref="EncodedPacket.Offset"/> and the sessions given to
    /// <see cref="PersistSession"/>, for <see cref="AdapterContext.Recovery"/>'s window, and
    /// <see cref="RestoreSession"/> gives them back. Only when it is true (and recovery is configured) does the
    /// namespace give events offsets, hand sessions a private id and try to restore them; false (the default,
    /// and Node's Redis adapter) turns recovery off for the namespace.
    /// </summary>
    bool SupportsRecovery => false;

    /// <summary>
    /// Connection state recovery: keeps the state of a socket that lost its connection (Node's
    /// <c>persistSession</c>). Called only when <see cref="SupportsRecovery"/>; ignored by default.
    /// </summary>
    void PersistSession(PersistedSession session)
    {
    }

    /// <summary>
    /// Connection state recovery (Node's <c>restoreSession</c>): takes the session of <paramref name="pid"/>
    /// if it is known and recent and <paramref name="offset"/> is still stored. In one step with respect to
    /// broadcasts, it calls <paramref name="claim"/> (which makes the socket findable under the old id) and
    /// puts the id back in its rooms: every later broadcast reaches the socket, every earlier one is in
    /// <see cref="RestoredSession.MissedPackets"/>, none is in both. Null when there is nothing to recover
    /// (always, for adapters without <see cref="SupportsRecovery"/>: the default).
    /// </summary>
    RestoredSession? RestoreSession(string pid, string offset, Action<PersistedSession> claim) => null;

    /// <summary>
    /// <see cref="RestoreSession"/> for an adapter whose store is across the network (Node's Redis streams adapter
    /// reads the session and the missed packets from Redis): the namespace calls this one. By default it calls
    /// <see cref="RestoreSession"/>.
    /// </summary>
    ValueTask<RestoredSession?> RestoreSessionAsync(string pid, string offset, Action<PersistedSession> claim) =>
        ValueTask.FromResult(RestoreSession(pid, offset, claim));
}
