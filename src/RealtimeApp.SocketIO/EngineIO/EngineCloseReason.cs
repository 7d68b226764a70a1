namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>Why an Engine.IO session closed. <see cref="EngineCloseReasons.ToWireString"/> gives Node's exact strings.</summary>
public enum EngineCloseReason
{
    /// <summary>"transport close": the client closed the WebSocket, sent a close packet, or the connection ended.</summary>
    TransportClose,
    /// <summary>"transport error": an I/O error, overlapping polls, a bad request on an open session, a full outbox, a payload over the limit.</summary>
    TransportError,
    /// <summary>"ping timeout": no pong within the ping timeout.</summary>
    PingTimeout,
    /// <summary>"parse error": bytes that are not Engine.IO packets.</summary>
    ParseError,
    /// <summary>"forced close": the server closed the session.</summary>
    ForcedClose,
}

/// <summary>Wire strings of <see cref="EngineCloseReason"/>, identical to Node's engine.io.</summary>
public static class EngineCloseReasons
{
    /// <summary>The reason as Node's engine.io names it (e.g. <c>"ping timeout"</c>).</summary>
    public static string ToWireString(this EngineCloseReason reason) => reason switch
    {
        EngineCloseReason.TransportClose => "transport close",
        EngineCloseReason.TransportError => "transport error",
        EngineCloseReason.PingTimeout => "ping timeout",
        EngineCloseReason.ParseError => "parse error",
        EngineCloseReason.ForcedClose => "forced close",
        _ => "transport error",
    };
}
