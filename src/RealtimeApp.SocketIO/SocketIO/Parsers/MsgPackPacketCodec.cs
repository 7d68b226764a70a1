using System.Buffers;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Parsers;

/// <summary>
/// Packets of <c>socket.io-msgpack-parser</c> 3.x: one msgpack map per packet, <c>{type, data, nsp, id}</c> (the
/// key order socket.io writes), types 0-4 only (binary travels inline, so there is no BINARY_EVENT or
/// BINARY_ACK), read and written with MessagePack-CSharp's reader and writer. Inside the library a packet keeps
/// the JSON parser's form — a JSON payload whose binary values are placeholders, plus the attachments — so
/// handlers, adapters and recovery see one shape whichever parser the server speaks; the values are converted by
/// <see cref="MsgPackJson"/>.
/// </summary>
internal static class MsgPackPacketCodec
{
    /// <summary>
    /// Decodes one binary message. Checks as <c>socket.io-msgpack-parser</c>'s <c>checkPacket</c> (an integer type
    /// 0-4, a string nsp, the data each type allows, an integer id) and then as the JSON parser does (an ack id
    /// that is a non-negative safe integer, no reserved event name, at most <paramref name="maxAttachments"/>
    /// binary values). <paramref name="bytes"/> may be reused afterwards: nothing refers to it.
    /// </summary>
    public static SocketDecodeError Decode(ReadOnlyMemory<byte> bytes, out SocketPacket? packet, int maxAttachments)
    {
        packet = null;
        int? type = null;
        string? nsp = null;
        long? ackId = null;
        ReadOnlyMemory<byte> data = default;
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                return SocketDecodeError.InvalidMsgPack;
            }
            var fields = reader.ReadMapHeader();
            for (var i = 0; i < fields; i++)
            {
                if (reader.NextMessagePackType != MessagePackType.String)
                {
                    reader.Skip(); // a key JavaScript would turn into a string nobody reads
                    reader.Skip();
                    continue;
                }
                switch (reader.ReadString())
                {
                    case "type":
                        if (!MsgPackJson.TryReadInteger(ref reader, out var t) || t is < 0 or > (int)SocketPacketType.ConnectError)
                        {
                            return SocketDecodeError.UnknownType;
                        }
                        type = (int)t;
                        break;
                    case "nsp":
                        if (reader.NextMessagePackType != MessagePackType.String)
                        {
                            return SocketDecodeError.InvalidNamespace;
                        }
                        nsp = reader.ReadString();
                        break;
                    case "id":
                        if (MsgPackJson.IsUndefined(ref reader))
                        {
                            reader.Skip();
                            ackId = null;
                            break;
                        }
                        if (!MsgPackJson.TryReadInteger(ref reader, out var id) || id is < 0 or > SocketPacketCodec.MaxAckId)
                        {
                            return SocketDecodeError.InvalidAckId;
                        }
                        ackId = id;
                        break;
                    case "data":
                        var start = (int)reader.Consumed;
                        var undefined = MsgPackJson.IsUndefined(ref reader);
                        MsgPackJson.SkipChecked(ref reader);
                        data = undefined ? default : bytes[start..(int)reader.Consumed];
                        break;
                    default:
                        MsgPackJson.SkipChecked(ref reader);
                        break;
                }
            }
            if (!reader.End)
            {
                return SocketDecodeError.InvalidMsgPack; // notepack refuses trailing bytes too
            }
        }
        // ArgumentOutOfRangeException: MessagePack-CSharp 2.5 reads a str32/bin32 length above int.MaxValue as a negative
        // count (found by fuzz/, msgpack-packet target); the input is malformed all the same.
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException
            or ArgumentOutOfRangeException)
        {
            return SocketDecodeError.InvalidMsgPack;
        }
        if (type is null)
        {
            return SocketDecodeError.UnknownType;
        }
        if (nsp is null)
        {
            return SocketDecodeError.InvalidNamespace;
        }
        return Complete((SocketPacketType)type.Value, nsp, ackId, data, maxAttachments, out packet);
    }

    private static SocketDecodeError Complete(SocketPacketType type, string nsp, long? ackId, ReadOnlyMemory<byte> data,
        int maxAttachments, out SocketPacket? packet)
    {
        packet = null;
        var attachments = new List<ReadOnlyMemory<byte>>();
        byte[] json = [];
        JsonElement? element = null;
        if (!data.IsEmpty)
        {
            var error = MsgPackJson.ToJson(data, attachments, maxAttachments, out json);
            if (error != SocketDecodeError.None)
            {
                return error;
            }
            using var document = JsonDocument.Parse(json);
            element = document.RootElement.Clone();
        }
        if (attachments.Count > 0)
        {
            type = type switch
            {
                SocketPacketType.Event => SocketPacketType.BinaryEvent,
                SocketPacketType.Ack => SocketPacketType.BinaryAck,
                _ => type,
            };
        }
        var shape = SocketPacketCodec.ValidateShape(type, element, ackId);
        if (shape != SocketDecodeError.None)
        {
            return shape;
        }
        packet = new SocketPacket
        {
            Type = type,
            Namespace = nsp,
            AckId = ackId,
            Payload = json,
            Data = element,
            AttachmentCount = attachments.Count,
        };
        packet.Attachments.AddRange(attachments);
        return SocketDecodeError.None;
    }

    /// <summary>
    /// Encodes a packet from its JSON-parser form (<paramref name="json"/> with placeholders, and
    /// <paramref name="attachments"/>) as one msgpack map, binary values inline.
    /// </summary>
    public static byte[] Encode(SocketPacketType type, string nsp, long? ackId, ReadOnlyMemory<byte> json,
        IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var wireType = type switch
        {
            SocketPacketType.BinaryEvent => SocketPacketType.Event,
            SocketPacketType.BinaryAck => SocketPacketType.Ack,
            _ => type,
        };
        var buffer = new ArrayBufferWriter<byte>(json.Length + 32);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2 + (json.IsEmpty ? 0 : 1) + (ackId is null ? 0 : 1));
        writer.Write("type");
        writer.Write((int)wireType);
        if (!json.IsEmpty)
        {
            writer.Write("data");
            using var document = JsonDocument.Parse(json);
            MsgPackJson.WriteValue(ref writer, document.RootElement, attachments);
        }
        writer.Write("nsp");
        writer.Write(nsp);
        if (ackId is { } id)
        {
            writer.Write("id");
            writer.Write(id);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
