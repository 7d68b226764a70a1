namespace RealtimeApp.SocketIO;

/// <summary>
/// An incoming event the library turned away before (or instead of) the app's handler, handed to
/// <see cref="SocketIOOptions.OnRefusal"/> so the app can answer the client's ack in its own format. Node's
/// socket.io never answers an ack for the app, so by default nothing is sent.
/// </summary>
public sealed class SocketRefusal
{
    internal SocketRefusal(SocketContext socket, string eventName, SocketAck? ack, string code, string message, Exception? exception)
    {
        Socket = socket;
        EventName = eventName;
        Ack = ack;
        Code = code;
        Message = message;
        Exception = exception;
    }

    /// <summary>The socket the event came from.</summary>
    public SocketContext Socket { get; }

    /// <summary>The event's name.</summary>
    public string EventName { get; }

    /// <summary>The ack the client asked for, or null; answer it (once) to tell the client why.</summary>
    public SocketAck? Ack { get; }

    /// <summary>Why, one of <see cref="SocketRefusalCodes"/>.</summary>
    public string Code { get; }

    /// <summary>A short English description (e.g. the JSON binding error of an invalid payload).</summary>
    public string Message { get; }

    /// <summary>The exception behind it, when there is one (binding error, <see cref="SocketIOLimitExceededException"/>).</summary>
    public Exception? Exception { get; }
}

/// <summary>The codes of <see cref="SocketRefusal.Code"/>.</summary>
public static class SocketRefusalCodes
{
    /// <summary>The first argument did not bind to the type of a typed <c>On&lt;T&gt;</c> handler (or was null).</summary>
    public const string InvalidPayload = "invalid_payload";

    /// <summary>Past <see cref="SocketIOOptions.EventRateLimit"/>: the event was dropped unread.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The handler threw <see cref="SocketIOLimitExceededException"/> (e.g. the room limit).</summary>
    public const string LimitExceeded = "limit_exceeded";

    /// <summary>The server is draining for shutdown: the event was dropped unread.</summary>
    public const string ShuttingDown = "shutting_down";
}
