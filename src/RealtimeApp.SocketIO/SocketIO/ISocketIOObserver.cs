using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

/// <summary>
/// The one seam the admin UI (AdminUI/) watches the server through: the moments Node's <c>instrument()</c>
/// hears as events (<c>new_namespace</c>, the adapter's <c>join-room</c>/<c>leave-room</c>, the engine's
/// <c>connection</c>, <c>upgrade</c>, <c>packet</c>, <c>packetCreate</c> and <c>close</c>). Null on the
/// server unless something observes, so each call site costs one null check when the admin UI is off.
/// </summary>
internal interface ISocketIOObserver
{
    void NamespaceCreated(SocketNamespace ns);

    void RoomJoined(SocketNamespace ns, string room, string id);

    void RoomLeft(SocketNamespace ns, string room, string id);

    void EngineOpened(EngineSession session);

    /// <summary>The session moved to WebSocket; <paramref name="sockets"/> are those it carries (one per namespace).</summary>
    void EngineUpgraded(EngineSession session, IReadOnlyList<SocketContext> sockets);

    void EngineClosed(EngineSession session, EngineCloseReason reason);

    /// <summary>A message packet in (Node counts packets with data: messages, not pings).</summary>
    void PacketIn(int bytes);

    /// <summary>A message packet out.</summary>
    void PacketOut(int bytes);
}
