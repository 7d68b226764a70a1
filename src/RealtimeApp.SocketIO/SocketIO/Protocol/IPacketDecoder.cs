using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// The parser seam on the way in: turns one connection's Engine.IO messages into whole Socket.IO packets. One
/// per connection, fed in arrival order; any error closes that connection. The JSON parser is
/// <see cref="BinaryPacketAssembler"/>, the msgpack one <see cref="Parsers.MsgPackPacketDecoder"/>.
/// </summary>
internal interface IPacketDecoder
{
    /// <summary><paramref name="complete"/> is the packet to dispatch, or null when more messages are needed (or on error).</summary>
    SocketDecodeError Add(DecodedPacket message, out SocketPacket? complete);
}

internal static class PacketDecoders
{
    public static IPacketDecoder For(SocketIOParser parser, int maxAttachments) => parser == SocketIOParser.MsgPack
        ? new Parsers.MsgPackPacketDecoder(maxAttachments)
        : new BinaryPacketAssembler(maxAttachments);
}
