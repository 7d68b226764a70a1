using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

/// <summary>
/// The Socket.IO layer's log events (category <c>RealtimeApp.SocketIO.SocketIOServer</c>). A socket's
/// lifecycle (connected, disconnected, join refused by the application) is at Debug: a busy server connects
/// and disconnects thousands of sockets a second, which at the default Information level would drown every
/// other line; turn it on per category when looking at clients (<c>Logging:LogLevel:RealtimeApp.SocketIO=Debug</c>).
/// A join refused by an operator's limit is at Information: it is the limit biting, which the operator
/// wants to see without turning anything on.
/// </summary>
internal sealed partial class SocketIOLog(ILogger logger)
{
    public void ProtocolViolation(string sid, string detail) => LogProtocolViolation(logger, sid, detail);

    public void HandlerFailed(string? id, Exception exception) => LogHandlerFailed(logger, id, exception);

    public void LimitExceeded(string socketId, string limit, string message) => LogLimitExceeded(logger, socketId, limit, message);

    // Checked here, not only inside the generated method: the remote address string is built on first read.
    public void SocketConnected(SocketContext socket, string sid, EngineTransports transport)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogSocketConnected(logger, socket.Id, socket.Namespace.Name, sid, transport, socket.Handshake.Address, socket.Recovered);
        }
    }

    public void SocketDisconnected(SocketContext socket, DisconnectReason reason)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogSocketDisconnected(logger, socket.Id, socket.Namespace.Name, reason.ToWireString());
        }
    }

    // A namespace's authorization could not run (no AddAuthorization, an unknown policy, a throwing handler):
    // an Error, since every CONNECT to it is refused until the app is fixed.
    public void AuthorizationFailed(string ns, string socketId, Exception exception) => LogAuthorizationFailed(logger, ns, socketId, exception);

    [LoggerMessage(7, LogLevel.Error, "Socket.IO authorization of namespace {Namespace} failed (socket {SocketId}); the CONNECT is refused",
        EventName = "AuthorizationFailed")]
    private static partial void LogAuthorizationFailed(ILogger logger, string @namespace, string socketId, Exception exception);

    // cause: what refused it, Authorization, Middleware, InvalidNamespace, ConnectionClosed, Shutdown, or the limit's option
    // name (MaxNamespacesPerConnection), which is logged at Information.
    public void ConnectRefused(string ns, string sid, string cause, string message)
    {
        var level = cause == nameof(SocketIOOptions.MaxNamespacesPerConnection) ? LogLevel.Information : LogLevel.Debug;
        LogConnectRefused(logger, level, ns, sid, cause, message);
    }

    [LoggerMessage(3, LogLevel.Debug, "Socket.IO socket {SocketId} refused by {Limit}: {Message}", EventName = "LimitExceeded")]
    private static partial void LogLimitExceeded(ILogger logger, string socketId, string limit, string message);

    [LoggerMessage(1, LogLevel.Debug, "Socket.IO connection {Sid} closed for a protocol violation: {Detail}", EventName = "ProtocolViolation")]
    private static partial void LogProtocolViolation(ILogger logger, string sid, string detail);

    [LoggerMessage(2, LogLevel.Error, "Socket.IO handler failed (socket {SocketId})", EventName = "HandlerFailed")]
    private static partial void LogHandlerFailed(ILogger logger, string? socketId, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Socket.IO socket {SocketId} connected to {Namespace} (session {Sid}, {Transport}, from {RemoteAddress}, recovered {Recovered})",
        EventName = "SocketConnected")]
    private static partial void LogSocketConnected(ILogger logger, string socketId, string @namespace, string sid,
        EngineTransports transport, string? remoteAddress, bool recovered);

    [LoggerMessage(5, LogLevel.Debug, "Socket.IO socket {SocketId} disconnected from {Namespace}: {Reason}", EventName = "SocketDisconnected")]
    private static partial void LogSocketDisconnected(ILogger logger, string socketId, string @namespace, string reason);

    [LoggerMessage(EventId = 6, Message = "Socket.IO connect to {Namespace} refused (session {Sid}) by {Cause}: {Message}", EventName = "ConnectRefused")]
    // "Namespace", not "@namespace": with a level parameter the generator names the value after the parameter
    // as written ("@namespace"), which structured sinks would then carry as the property's name.
    private static partial void LogConnectRefused(ILogger logger, LogLevel level, string Namespace, string sid, string cause, string message);
}
