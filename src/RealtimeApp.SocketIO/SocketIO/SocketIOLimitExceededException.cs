namespace RealtimeApp.SocketIO;

/// <summary>
/// An operator limit (<see cref="SocketIOOptions"/>) refused an operation. Thrown from an event handler and
/// not caught, it answers the event's ack with <c>{"ok":false,"error":{"code":"limit_exceeded","message":…}}</c>.
/// </summary>
public sealed class SocketIOLimitExceededException(string limit, string message) : InvalidOperationException(message)
{
    /// <summary>The option that refused, e.g. <c>MaxRoomsPerSocket</c>.</summary>
    public string Limit { get; } = limit;
}
