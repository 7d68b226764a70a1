using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// The acknowledgement a client asked for with its event. Like Node's ack callback, only the first
/// <see cref="Send"/> goes out; later calls are ignored.
/// </summary>
public sealed class SocketAck
{
    private readonly SocketContext _socket;
    private readonly long _id;
    private int _sent;

    internal SocketAck(SocketContext socket, long id)
    {
        _socket = socket;
        _id = id;
    }

    /// <summary>True once the answer has been sent.</summary>
    public bool IsSent => _sent != 0;

    /// <summary>Answers the event with <paramref name="args"/> (binary values become attachments).</summary>
    /// <returns>False when an answer was already sent.</returns>
    public bool Send(params object?[] args)
    {
        if (Interlocked.Exchange(ref _sent, 1) != 0)
        {
            return false;
        }
        _socket.Deliver(OutgoingPacket.Ack(_socket.Namespace.Name, _id, args), volatileSend: false);
        return true;
    }
}
