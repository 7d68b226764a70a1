using System.Buffers;
using System.Buffers.Text;
using MessagePack;

namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// The client side of <c>socket.io-msgpack-parser</c> for the load generator: packets are msgpack maps
/// <c>{type, data, nsp, id?}</c> sent as binary WebSocket messages (written and read with MessagePack-CSharp's
/// writer and reader). Received packets are turned into the JSON text form the scenarios' sinks already match
/// (<c>42["b","T…"]</c>, <c>43&lt;id&gt;[]</c>), so each scenario reads one format whatever the parser.
/// </summary>
internal static class MsgPackWire
{
    private const int Connect = 0;
    private const int Event = 2;
    private const int Ack = 3;

    /// <summary>The main-namespace CONNECT, <c>{type: 0, nsp: "/"}</c>, as a ready masked binary frame.</summary>
    public static readonly byte[] JoinMainNamespace = BinaryFrame(static (ref MessagePackWriter writer) =>
    {
        writer.WriteMapHeader(2);
        writer.Write("type");
        writer.Write(Connect);
        writer.Write("nsp");
        writer.Write("/");
    });

    /// <summary>Whether <paramref name="message"/> is the server's CONNECT answer for the main namespace.</summary>
    public static bool IsConnected(ReadOnlyMemory<byte> message)
    {
        try
        {
            var reader = new MessagePackReader(message);
            var fields = reader.ReadMapHeader();
            for (var i = 0; i < fields; i++)
            {
                if (reader.ReadString() == "type")
                {
                    return reader.ReadInt32() == Connect;
                }
                reader.Skip();
            }
        }
        catch (MessagePackSerializationException)
        {
        }
        return false;
    }

    /// <summary>
    /// Writes <c>{type: 2, data: [name, argument], nsp: "/", id}</c> as a binary frame at <paramref name="frame"/>
    /// (the small-frame header first); returns the frame length. <paramref name="scratch"/> is the caller's, reused.
    /// </summary>
    public static int WriteEvent(Span<byte> frame, ArrayBufferWriter<byte> scratch, ReadOnlySpan<byte> utf8Name,
        ReadOnlySpan<byte> utf8Argument, long id)
    {
        scratch.ResetWrittenCount();
        var buffer = scratch;
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("type");
        writer.Write(Event);
        writer.Write("data");
        writer.WriteArrayHeader(2);
        writer.WriteString(utf8Name);
        writer.WriteString(utf8Argument);
        writer.Write("nsp");
        writer.Write("/");
        writer.Write("id");
        writer.Write(id);
        writer.Flush();
        return WsFrames.WriteSmallFrame(frame, WsFrames.OpBinary, buffer.WrittenSpan);
    }

    /// <summary>
    /// The JSON text form of a received EVENT or ACK packet of the main namespace, with its Engine.IO <c>4</c>
    /// prefix, into <paramref name="json"/>; 0 for anything else. Only what the sinks read is kept: an event's
    /// name and string arguments (written unescaped: the bench payloads are plain ASCII), an ack's id.
    /// </summary>
    public static int ToJsonPacket(ReadOnlyMemory<byte> message, Span<byte> json)
    {
        var reader = new MessagePackReader(message);
        var fields = reader.ReadMapHeader();
        int type = -1;
        long id = -1;
        ReadOnlyMemory<byte> data = default;
        for (var i = 0; i < fields; i++)
        {
            switch (reader.ReadString())
            {
                case "type":
                    type = reader.ReadInt32();
                    break;
                case "id":
                    id = reader.ReadInt64();
                    break;
                case "data":
                    var start = reader.Consumed;
                    reader.Skip();
                    data = message[(int)start..(int)reader.Consumed];
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (type is not (Event or Ack))
        {
            return 0;
        }
        json[0] = (byte)'4';
        json[1] = (byte)('0' + type);
        var length = 2;
        if (id >= 0)
        {
            Utf8Formatter.TryFormat(id, json[length..], out var digits);
            length += digits;
        }
        return type == Ack ? Append(json, length, "[]"u8) : length + WriteStringArguments(data, json[length..]);
    }

    private static int WriteStringArguments(ReadOnlyMemory<byte> data, Span<byte> json)
    {
        var reader = new MessagePackReader(data);
        var count = reader.ReadArrayHeader();
        var length = Append(json, 0, "["u8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                length = Append(json, length, ","u8);
            }
            if (reader.NextMessagePackType == MessagePackType.String)
            {
                var value = reader.ReadStringSequence() ?? default;
                json[length++] = (byte)'"';
                value.CopyTo(json[length..]);
                length += (int)value.Length;
                json[length++] = (byte)'"';
            }
            else
            {
                reader.Skip();
                length = Append(json, length, "null"u8);
            }
        }
        return Append(json, length, "]"u8);
    }

    private static int Append(Span<byte> json, int length, ReadOnlySpan<byte> text)
    {
        text.CopyTo(json[length..]);
        return length + text.Length;
    }

    private delegate void WriteMessage(ref MessagePackWriter writer);

    private static byte[] BinaryFrame(WriteMessage write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        var frame = new byte[WsFrames.SmallHeaderLength + buffer.WrittenCount];
        WsFrames.WriteSmallFrame(frame, WsFrames.OpBinary, buffer.WrittenSpan);
        return frame;
    }
}
