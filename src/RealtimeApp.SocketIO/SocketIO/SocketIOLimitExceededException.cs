namespace RealtimeApp.SocketIO;

/// <summary>
/// An operator limit (<see cref="SocketIOOptions"/>) refused an operation. Thrown from an event handler and
/// not caught, it goes to <see cref="SocketIOOptions.OnRefusal"/> (code <c>limit_exceeded</c>), which may answer the event's ack.
/// </summary>
public sealed class SocketIOLimitExceededException(string limit, string message) : InvalidOperationException(message)
{
    /// <summary>The option that refused, e.g. <c>MaxRoomsPerSocket</c>.</summary>
    public string Limit { get; } = limit;
}
