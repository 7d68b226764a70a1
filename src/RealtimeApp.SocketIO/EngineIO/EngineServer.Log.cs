using System.Net;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

public sealed partial class EngineServer
{
    /// <summary>
    /// A handshake refused by an operator's limit. The level is what the person running the server needs:
    /// MaxSessions is the server at capacity (Warning: add nodes or raise the cap); HandshakeRateLimit is one
    /// client going too fast and the limit doing its job (Information); the shutdown's refusals are expected
    /// during a drain (Debug). The counts are on the meter too (<c>engineio.handshakes.refused</c>).
    /// </summary>
    private void LogHandshakeRefused(string limit, int status, string message, IPAddress? remoteAddress)
    {
        var level = limit switch
        {
            nameof(EngineIOOptions.MaxSessions) => LogLevel.Warning,
            nameof(EngineIOOptions.HandshakeRateLimit) => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        Log.HandshakeRefused(Logger, level, limit, status, message, remoteAddress);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Engine.IO session {Sid} opened over {Transport}", EventName = "SessionOpened")]
        public static partial void SessionOpened(ILogger logger, string sid, EngineTransports transport);

        [LoggerMessage(2, LogLevel.Debug, "Engine.IO session {Sid} closed: {Reason} ({Description})", EventName = "SessionClosed")]
        public static partial void SessionClosed(ILogger logger, string sid, string reason, string? description);

        [LoggerMessage(3, LogLevel.Debug, "Engine.IO session {Sid} upgraded to websocket", EventName = "Upgraded")]
        public static partial void Upgraded(ILogger logger, string sid);

        [LoggerMessage(4, LogLevel.Debug, "Engine.IO request refused with code {Code} ({Message}): {Method} {Url}", EventName = "RequestRefused")]
        public static partial void RequestRefused(ILogger logger, int code, string message, string method, string url);

        [LoggerMessage(5, LogLevel.Error, "Engine.IO handler failed for session {Sid}; the session is closed", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);

        [LoggerMessage(EventId = 6, Message = "Engine.IO handshake from {RemoteAddress} refused by {Limit}: HTTP {StatusCode} {Message}", EventName = "HandshakeRefused")]
        public static partial void HandshakeRefused(ILogger logger, LogLevel level, string limit, int statusCode, string message,
            IPAddress? remoteAddress);

        // Information, as ASP.NET Core's CORS service logs a refused origin: an attack, or a page the operator
        // forgot to allow (AllowedOrigins or the endpoint's CORS policy); either way someone should see it.
        [LoggerMessage(7, LogLevel.Information, "WebSocket request from {RemoteAddress} with Origin {Origin} refused: not this server's origin, "
            + "not in AllowedOrigins and not allowed by the endpoint's CORS policy (CheckWebSocketOrigin)", EventName = "WebSocketOriginRefused")]
        public static partial void WebSocketOriginRefused(ILogger logger, string origin, IPAddress? remoteAddress);
    }
}
