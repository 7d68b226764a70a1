using Microsoft.Extensions.Logging;

namespace RealtimeApp.SocketIO.SocketIO;

/// <summary>The Socket.IO layer's log events (category <c>RealtimeApp.SocketIO.SocketIO.SocketIOServer</c>).</summary>
internal sealed partial class SocketIOLog(ILogger logger)
{
    public void ProtocolViolation(string sid, string detail) => LogProtocolViolation(logger, sid, detail);

    public void HandlerFailed(string? id, Exception exception) => LogHandlerFailed(logger, id, exception);

    public void LimitExceeded(string socketId, string limit, string message) => LogLimitExceeded(logger, socketId, limit, message);

    [LoggerMessage(3, LogLevel.Debug, "Socket.IO socket {SocketId} refused by {Limit}: {Message}", EventName = "LimitExceeded")]
    private static partial void LogLimitExceeded(ILogger logger, string socketId, string limit, string message);

    [LoggerMessage(1, LogLevel.Debug, "Socket.IO connection {Sid} closed for a protocol violation: {Detail}", EventName = "ProtocolViolation")]
    private static partial void LogProtocolViolation(ILogger logger, string sid, string detail);

    [LoggerMessage(2, LogLevel.Error, "Socket.IO handler failed (socket {SocketId})", EventName = "HandlerFailed")]
    private static partial void LogHandlerFailed(ILogger logger, string? socketId, Exception exception);
}
