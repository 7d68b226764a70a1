using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

public sealed partial class EngineServer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Engine.IO session {Sid} opened over {Transport}", EventName = "SessionOpened")]
        public static partial void SessionOpened(ILogger logger, string sid, EngineTransportKind transport);

        [LoggerMessage(2, LogLevel.Debug, "Engine.IO session {Sid} closed: {Reason} ({Description})", EventName = "SessionClosed")]
        public static partial void SessionClosed(ILogger logger, string sid, string reason, string? description);

        [LoggerMessage(3, LogLevel.Debug, "Engine.IO session {Sid} upgraded to websocket", EventName = "Upgraded")]
        public static partial void Upgraded(ILogger logger, string sid);

        [LoggerMessage(4, LogLevel.Debug, "Engine.IO request refused with code {Code} ({Message}): {Method} {Url}", EventName = "RequestRefused")]
        public static partial void RequestRefused(ILogger logger, int code, string message, string method, string url);

        [LoggerMessage(5, LogLevel.Error, "Engine.IO handler failed for session {Sid}; the session is closed", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);
    }
}
