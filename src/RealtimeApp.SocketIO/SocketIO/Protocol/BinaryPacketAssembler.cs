using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// Turns one connection's Engine.IO messages into whole Socket.IO packets (socket.io-parser's Decoder):
/// a text message is decoded at once; a BINARY_* packet announcing attachments waits for that many
/// binary messages, then its placeholders are checked against them. Pure and not thread-safe: one per
/// connection, fed in arrival order (the fuzz harness drives it exactly as the connection does).
/// </summary>
internal sealed class BinaryPacketAssembler(int maxAttachments) : IPacketDecoder
{
    private SocketPacket? _pending;

    /// <summary>True while a BINARY_* packet still waits for attachments.</summary>
    public bool IsPending => _pending is not null;

    /// <summary>
    /// Feeds one message. <paramref name="complete"/> is the packet to dispatch, or null when it needs more
    /// attachments (or on error). Any error closes the connection, so the state after one does not matter.
    /// </summary>
    public SocketDecodeError Add(DecodedPacket message, out SocketPacket? complete)
    {
        complete = null;
        if (message.IsBinary)
        {
            if (_pending is not { } pending)
            {
                return SocketDecodeError.UnexpectedBinary;
            }
            pending.Attachments.Add(message.Data.ToArray());
            if (!pending.IsComplete)
            {
                return SocketDecodeError.None;
            }
            _pending = null;
            if (!BinaryPlaceholders.AreValid(pending.Data!.Value, pending.AttachmentCount))
            {
                return SocketDecodeError.InvalidPlaceholder;
            }
            complete = pending;
            return SocketDecodeError.None;
        }

        if (_pending is not null)
        {
            return SocketDecodeError.UnexpectedText;
        }
        var error = SocketPacketCodec.Decode(message.Data.Span, out var packet, maxAttachments);
        if (error != SocketDecodeError.None)
        {
            return error;
        }
        if (packet!.AttachmentCount > 0)
        {
            _pending = packet;
            return SocketDecodeError.None;
        }
        if (packet.Type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck
            && !BinaryPlaceholders.AreValid(packet.Data!.Value, 0))
        {
            return SocketDecodeError.InvalidPlaceholder;
        }
        complete = packet;
        return SocketDecodeError.None;
    }
}
