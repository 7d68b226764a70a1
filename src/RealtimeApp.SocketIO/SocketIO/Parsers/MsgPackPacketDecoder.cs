using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Parsers;

/// <summary>
/// The msgpack parser's decoder (<c>socket.io-msgpack-parser</c>'s <c>Decoder.add</c>): every packet is one binary
/// message, so there is nothing to reassemble; a text message is an error, as <c>msgpack.decode</c> of a string is
/// in Node.
/// </summary>
internal sealed class MsgPackPacketDecoder(int maxAttachments) : IPacketDecoder
{
    public SocketDecodeError Add(DecodedPacket message, out SocketPacket? complete)
    {
        if (!message.IsBinary)
        {
            complete = null;
            return SocketDecodeError.UnexpectedText;
        }
        return MsgPackPacketCodec.Decode(message.Data, out complete, maxAttachments);
    }
}
