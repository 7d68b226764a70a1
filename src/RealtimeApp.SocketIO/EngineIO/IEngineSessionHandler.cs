using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// The only seam from the transport layer upward: what the Engine.IO server tells the layer above
/// (Socket.IO, or an application using Engine.IO alone). Calls may come from any thread, but for one
/// session <see cref="OnMessage"/> calls arrive one at a time and in order. Implementations must not
/// block: they run on the request or receive path.
/// </summary>
public interface IEngineSessionHandler
{
    /// <summary>A session was opened (its open packet is already queued; anything sent now follows it).</summary>
    void OnOpened(EngineSession session);

    /// <summary>
    /// A message arrived. <see cref="DecodedPacket.Data"/> points into a receive buffer that is reused
    /// once this returns: copy what must outlive the call.
    /// </summary>
    void OnMessage(EngineSession session, DecodedPacket message);

    /// <summary>The session closed. Called once; <see cref="EngineSession.Send"/> returns false from now on.</summary>
    void OnClosed(EngineSession session, EngineCloseReason reason, string? description);
}

/// <summary>
/// Told when a session completes its upgrade to WebSocket (engine.io's <c>upgrade</c> event); internal so the
/// public handler contract stays three calls. The Socket.IO server forwards it to the admin UI.
/// </summary>
internal interface IEngineUpgradeObserver
{
    void OnUpgraded(EngineSession session);
}
