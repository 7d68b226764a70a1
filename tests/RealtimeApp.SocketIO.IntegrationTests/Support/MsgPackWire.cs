using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using MessagePack;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// Raw packets of <c>socket.io-msgpack-parser</c> for wire-level tests, written with MessagePack-CSharp's writer
/// (independently of the library's codec), and received ones shown as compact JSON-like text for assertions
/// (binary as <c>bin[1,2]</c>).
/// </summary>
internal static class MsgPackWire
{
    public delegate void WriteData(ref MessagePackWriter writer);

    /// <summary><c>{type, data?, nsp, id?}</c> as socket.io writes it.</summary>
    public static byte[] Packet(int type, string nsp, WriteData? data = null, long? id = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2 + (data is null ? 0 : 1) + (id is null ? 0 : 1));
        writer.Write("type");
        writer.Write(type);
        if (data is not null)
        {
            writer.Write("data");
            data(ref writer);
        }
        writer.Write("nsp");
        writer.Write(nsp);
        if (id is { } ackId)
        {
            writer.Write("id");
            writer.Write(ackId);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An EVENT whose data is <paramref name="name"/> then string arguments.</summary>
    public static byte[] Event(string nsp, string name, params string[] args) =>
        Packet(2, nsp, (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1 + args.Length);
            w.Write(name);
            foreach (var arg in args)
            {
                w.Write(arg);
            }
        });

    /// <summary>The next binary message as text, e.g. <c>{type:0,data:{sid:"…"},nsp:"/"}</c>.</summary>
    public static async Task<string> ReceiveAsync(SocketIORawClient client)
    {
        var frame = await client.ReceiveSkippingPingsAsync();
        Assert.True(frame.Type == WebSocketMessageType.Binary, $"expected a msgpack packet, got {frame}");
        return Describe(frame.Data);
    }

    public static string Describe(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        var text = new StringBuilder();
        Describe(ref reader, text);
        Assert.True(reader.End, "trailing bytes after the packet");
        return text.ToString();
    }

    private static void Describe(ref MessagePackReader reader, StringBuilder text)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                var fields = reader.ReadMapHeader();
                text.Append('{');
                for (var i = 0; i < fields; i++)
                {
                    text.Append(i == 0 ? "" : ",").Append(reader.ReadString()).Append(':');
                    Describe(ref reader, text);
                }
                text.Append('}');
                break;
            case MessagePackType.Array:
                var count = reader.ReadArrayHeader();
                text.Append('[');
                for (var i = 0; i < count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Describe(ref reader, text);
                }
                text.Append(']');
                break;
            case MessagePackType.String:
                text.Append('"').Append(reader.ReadString()).Append('"');
                break;
            case MessagePackType.Binary:
                text.Append("bin[").Append(string.Join(',', reader.ReadBytes()!.Value.ToArray())).Append(']');
                break;
            case MessagePackType.Integer:
                text.Append(reader.ReadInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case MessagePackType.Float:
                text.Append(reader.ReadDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case MessagePackType.Boolean:
                text.Append(reader.ReadBoolean() ? "true" : "false");
                break;
            case MessagePackType.Nil:
                reader.ReadNil();
                text.Append("null");
                break;
            default:
                throw new InvalidDataException($"unexpected msgpack type {reader.NextMessagePackType}");
        }
    }
}
