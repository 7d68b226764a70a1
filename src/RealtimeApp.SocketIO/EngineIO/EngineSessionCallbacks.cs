using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// An <see cref="IEngineSessionHandler"/> made of delegates, for Engine.IO used on its own (Node's
/// <c>engine.on("connection", socket => socket.on("message", …))</c>):
/// <code>
/// app.MapEngineIO("/engine.io", engine => engine
///     .OnOpened(session => …)
///     .OnMessage((session, message) => session.Send(EnginePacket.Message(message.Data.Span)))
///     .OnClosed((session, reason, description) => …));
/// </code>
/// The same rules as the interface apply: calls must not block, and a message's data is only valid
/// during the call.
/// </summary>
public sealed class EngineSessionCallbacks : IEngineSessionHandler
{
    private Action<EngineSession>? _opened;
    private Action<EngineSession, DecodedPacket>? _message;
    private Action<EngineSession, EngineCloseReason, string?>? _closed;

    /// <summary>Called when a session opens (its open packet is already queued).</summary>
    public EngineSessionCallbacks OnOpened(Action<EngineSession> opened)
    {
        _opened += opened;
        return this;
    }

    /// <summary>Called for each message, in order per session; copy the data to keep it.</summary>
    public EngineSessionCallbacks OnMessage(Action<EngineSession, DecodedPacket> message)
    {
        _message += message;
        return this;
    }

    /// <summary>Called once when a session closes, with the reason (Node's strings via <c>ToWireString</c>).</summary>
    public EngineSessionCallbacks OnClosed(Action<EngineSession, EngineCloseReason, string?> closed)
    {
        _closed += closed;
        return this;
    }

    void IEngineSessionHandler.OnOpened(EngineSession session) => _opened?.Invoke(session);

    void IEngineSessionHandler.OnMessage(EngineSession session, DecodedPacket message) => _message?.Invoke(session, message);

    void IEngineSessionHandler.OnClosed(EngineSession session, EngineCloseReason reason, string? description) =>
        _closed?.Invoke(session, reason, description);
}
