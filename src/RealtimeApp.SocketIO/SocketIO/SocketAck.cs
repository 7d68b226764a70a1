using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// The acknowledgement a client asked for with its event. Like Node's ack callback, only the first
/// <c>Send</c> goes out; later calls are ignored.
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

    /// <summary>Answers the event with no arguments.</summary>
    /// <returns>False when an answer was already sent.</returns>
    public bool Send() => Send(new NoArguments());

    /// <summary>
    /// Answers the event with <paramref name="arg"/>, written with <paramref name="typeInfo"/> (from the app's
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>; binary values become attachments).
    /// </summary>
    /// <returns>False when an answer was already sent.</returns>
    public bool Send<T>(T arg, JsonTypeInfo<T> typeInfo) => Send(new TypedArgument<T>(arg, typeInfo));

    /// <summary>Answers the event with arguments as a client sent them (binary included), unchanged.</summary>
    /// <returns>False when an answer was already sent.</returns>
    public bool Send(SocketArguments args) => Send(new ReceivedArguments(args));

    /// <summary>Answers the event with <paramref name="args"/>, each serialized as its runtime type (binary values become attachments).</summary>
    /// <returns>False when an answer was already sent.</returns>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public bool Send(params object?[] args) =>
        Send(new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)));

    private bool Send<TArgs>(TArgs args) where TArgs : IPayloadArguments, allows ref struct
    {
        if (Interlocked.Exchange(ref _sent, 1) != 0)
        {
            return false;
        }
        _socket.Deliver(OutgoingPacket.Ack(_socket.Namespace.Name, _id, args), volatileSend: false);
        return true;
    }
}
