using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.Parsers;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.Fuzz;

public static partial class FuzzTargets
{
    /// <summary>
    /// The input as one binary message of the msgpack parser, fed to <see cref="MsgPackPacketDecoder"/> as
    /// <c>SocketIOConnection.OnMessage</c> does. A packet that decodes goes through what dispatching does with it
    /// and must survive encode (<see cref="MsgPackPacketCodec.Encode"/>) → decode unchanged: the same type,
    /// namespace, ack id, JSON payload and attachments. Hostile nesting and lengths must end in a typed error,
    /// never a deep recursion or an allocation the input cannot justify.
    /// </summary>
    private static void MsgPackPacketTarget(byte[] input)
    {
        var decoder = new MsgPackPacketDecoder(SocketPacketCodec.DefaultMaxAttachments);
        var error = decoder.Add(new DecodedPacket(EnginePacketType.Message, IsBinary: true, input), out var packet);
        Check(Enum.IsDefined(error), $"undefined SocketDecodeError {(int)error}");
        if (error != SocketDecodeError.None)
        {
            return;
        }
        Check(packet is { IsComplete: true } && packet.Attachments.Count <= SocketPacketCodec.DefaultMaxAttachments,
            "msgpack packet dispatched incomplete or with too many attachments");

        var encoded = MsgPackPacketCodec.Encode(packet!.Type, packet.Namespace, packet.AckId, packet.Payload, packet.Attachments);
        error = MsgPackPacketCodec.Decode(encoded, out var again, SocketPacketCodec.DefaultMaxAttachments);
        Check(error == SocketDecodeError.None, $"re-encoded msgpack packet does not decode: {error}");
        Check(again!.Type == packet.Type && again.Namespace == packet.Namespace && again.AckId == packet.AckId
            && again.Payload.Span.SequenceEqual(packet.Payload.Span) && again.Attachments.Count == packet.Attachments.Count,
            "re-encoded msgpack packet decodes differently");
        for (var i = 0; i < packet.Attachments.Count; i++)
        {
            Check(again.Attachments[i].Span.SequenceEqual(packet.Attachments[i].Span), $"attachment {i} changes in a round trip");
        }
        Dispatch(packet, int.MaxValue, textRoundTrip: false); // JSON is longer than msgpack: the size bound is the allocation budget's
    }
}
