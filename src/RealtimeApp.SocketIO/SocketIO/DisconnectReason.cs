using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

/// <summary>Why a socket left its namespace. <see cref="DisconnectReasons.ToWireString"/> gives Node's exact strings.</summary>
public enum DisconnectReason
{
    /// <summary>"transport error"</summary>
    TransportError,
    /// <summary>"transport close"</summary>
    TransportClose,
    /// <summary>"forced close"</summary>
    ForcedClose,
    /// <summary>"ping timeout"</summary>
    PingTimeout,
    /// <summary>"parse error"</summary>
    ParseError,
    /// <summary>"server shutting down"</summary>
    ServerShuttingDown,
    /// <summary>"forced server close": the server closed the connection (connect timeout, protocol error).</summary>
    ForcedServerClose,
    /// <summary>"client namespace disconnect": the client left the namespace.</summary>
    ClientNamespaceDisconnect,
    /// <summary>"server namespace disconnect": the server disconnected the socket.</summary>
    ServerNamespaceDisconnect,
    /// <summary>
    /// "authentication expired": the user's sign-in expired (<see cref="SocketIOOptions.CloseOnAuthenticationExpiration"/>).
    /// Ours, not Node's; the client is told with a DISCONNECT, so it sees "io server disconnect".
    /// </summary>
    AuthenticationExpired,
}

/// <summary>Wire strings of <see cref="DisconnectReason"/>, identical to Node's socket.io.</summary>
public static class DisconnectReasons
{
    /// <summary>The reason as Node's socket.io names it.</summary>
    public static string ToWireString(this DisconnectReason reason) => reason switch
    {
        DisconnectReason.TransportError => "transport error",
        DisconnectReason.TransportClose => "transport close",
        DisconnectReason.ForcedClose => "forced close",
        DisconnectReason.PingTimeout => "ping timeout",
        DisconnectReason.ParseError => "parse error",
        DisconnectReason.ServerShuttingDown => "server shutting down",
        DisconnectReason.ForcedServerClose => "forced server close",
        DisconnectReason.ClientNamespaceDisconnect => "client namespace disconnect",
        DisconnectReason.ServerNamespaceDisconnect => "server namespace disconnect",
        DisconnectReason.AuthenticationExpired => "authentication expired",
        _ => "transport error",
    };

    /// <summary>The Socket.IO reason for an engine close reason (one mapping, used everywhere).</summary>
    public static DisconnectReason FromEngine(EngineCloseReason reason) => reason switch
    {
        EngineCloseReason.TransportClose => DisconnectReason.TransportClose,
        EngineCloseReason.PingTimeout => DisconnectReason.PingTimeout,
        EngineCloseReason.ParseError => DisconnectReason.ParseError,
        EngineCloseReason.ForcedClose => DisconnectReason.ForcedClose,
        _ => DisconnectReason.TransportError,
    };

    /// <summary>
    /// Whether connection state recovery keeps a socket that left for <paramref name="reason"/> (Node's
    /// RECOVERABLE_DISCONNECT_REASONS): the connection was lost or closed under it, not left on purpose.
    /// </summary>
    public static bool IsRecoverable(this DisconnectReason reason) => reason is DisconnectReason.TransportError
        or DisconnectReason.TransportClose or DisconnectReason.ForcedClose or DisconnectReason.PingTimeout
        or DisconnectReason.ServerShuttingDown or DisconnectReason.ForcedServerClose;
}
