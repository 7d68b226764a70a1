using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

/// <summary>What a session needs from its current transport.</summary>
internal interface ITransport
{
    EngineTransports Kind { get; }

    /// <summary>
    /// The session closed. <paramref name="flush"/>: deliver what is queued first (server-initiated close);
    /// otherwise stop now. (Whether the client asked for it is <c>EngineSession.ClosedByClient</c>.)
    /// </summary>
    void OnSessionClosed(bool flush);
}
