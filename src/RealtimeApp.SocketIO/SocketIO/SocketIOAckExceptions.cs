namespace RealtimeApp.SocketIO;

/// <summary>
/// No acknowledgement came in time: <c>EmitWithAckAsync</c> of a socket, or of a broadcast
/// (<see cref="BroadcastAckTimeoutException"/>, which also carries the answers that came). The message is
/// Node's, <c>operation has timed out</c>.
/// </summary>
public class SocketIOAckTimeoutException : TimeoutException
{
    /// <summary>With Node's message, <c>operation has timed out</c>.</summary>
    public SocketIOAckTimeoutException() : base("operation has timed out")
    {
    }
}

/// <summary>
/// The socket disconnected while the server waited for its acknowledgement (<c>EmitWithAckAsync</c>): the wait
/// ends at once, with <c>socket has been disconnected</c>, instead of running out its timeout as Node does — the
/// answer can no longer come (a recovered socket is a new one; its client does not answer old ids).
/// </summary>
public sealed class SocketIODisconnectedException : InvalidOperationException
{
    /// <summary>Creates one, naming why the socket left.</summary>
    public SocketIODisconnectedException(DisconnectReason reason)
        : base("socket has been disconnected")
    {
        Reason = reason;
    }

    /// <summary>Why the socket disconnected.</summary>
    public DisconnectReason Reason { get; }
}
