using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Parsers;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Redis.Cluster;

/// <summary>
/// The forms a <see cref="ClusterMessage"/> takes on Redis, as Node's adapters write them: the whole message as JSON
/// (sharded adapter, no binary) or as msgpack (sharded adapter with binary; every pub/sub message of the streams
/// adapter), and a stream entry's fields <c>uid</c>, <c>nsp</c>, <c>type</c> (decimal text) and <c>data</c>
/// (JSON text, or base64 msgpack when it holds binary).
/// </summary>
internal static class ClusterMessageCodec
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToJson(ClusterMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Data.Length + 64);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("uid"u8, message.Uid);
            json.WriteString("nsp"u8, message.Nsp);
            json.WriteNumber("type"u8, (int)message.Type);
            if (!message.Data.IsEmpty)
            {
                json.WritePropertyName("data"u8);
                json.WriteRawValue(message.Data.Span, skipInputValidation: true);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ToMsgPack(ClusterMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Data.Length + 64);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(message.Data.IsEmpty ? 3 : 4);
        writer.Write("uid");
        writer.Write(message.Uid);
        writer.Write("nsp");
        writer.Write(message.Nsp);
        writer.Write("type");
        writer.Write((int)message.Type);
        if (!message.Data.IsEmpty)
        {
            writer.Write("data");
            WriteData(ref writer, message);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A JSON message (its first byte is <c>{</c>) or a msgpack one: null when it is neither (Node ignores those).</summary>
    public static ClusterMessage? Decode(ReadOnlyMemory<byte> bytes) =>
        !bytes.IsEmpty && bytes.Span[0] == (byte)'{' ? FromJson(bytes) : FromMsgPack(bytes);

    public static ClusterMessage? FromJson(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type)
                || !type.TryGetInt32(out var typeNumber))
            {
                return null;
            }
            return new ClusterMessage
            {
                Uid = root.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String ? uid.GetString()! : "",
                Nsp = root.TryGetProperty("nsp", out var nsp) && nsp.ValueKind == JsonValueKind.String ? nsp.GetString()! : "/",
                Type = (ClusterMessageType)typeNumber,
                Data = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data).ToArray() : ReadOnlyMemory<byte>.Empty,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ClusterMessage? FromMsgPack(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            string uid = "", nsp = "/";
            int? type = null;
            ReadOnlyMemory<byte> data = default;
            var attachments = new List<ReadOnlyMemory<byte>>();
            var entries = reader.ReadMapHeader();
            for (var i = 0; i < entries; i++)
            {
                switch (reader.ReadString())
                {
                    case "uid" when reader.NextMessagePackType == MessagePackType.String:
                        uid = reader.ReadString()!;
                        break;
                    case "nsp" when reader.NextMessagePackType == MessagePackType.String:
                        nsp = reader.ReadString()!;
                        break;
                    case "type" when reader.NextMessagePackType == MessagePackType.Integer:
                        type = reader.ReadInt32();
                        break;
                    case "data" when reader.NextMessagePackType == MessagePackType.Map:
                        data = ReadJson(ref reader, attachments);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return type is null ? null : new ClusterMessage { Uid = uid, Nsp = nsp, Type = (ClusterMessageType)type, Data = data, Attachments = attachments };
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException
            or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A stream entry's <c>data</c> field: JSON text, or base64 msgpack when the data holds binary (Node's rule).</summary>
    public static string StreamData(ClusterMessage message)
    {
        if (!(message.HasBinary && message.MayContainBinary))
        {
            return System.Text.Encoding.UTF8.GetString(message.Data.Span);
        }
        var buffer = new ArrayBufferWriter<byte>(message.Data.Length + 64);
        var writer = new MessagePackWriter(buffer);
        WriteData(ref writer, message);
        writer.Flush();
        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    /// <summary>A message from a stream entry's fields; null when they do not make one.</summary>
    public static ClusterMessage? FromStreamEntry(string? uid, string? nsp, string? type, string? data)
    {
        if (nsp is null || !int.TryParse(type, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var typeNumber))
        {
            return null;
        }
        ReadOnlyMemory<byte> json = default;
        var attachments = new List<ReadOnlyMemory<byte>>();
        if (!string.IsNullOrEmpty(data))
        {
            if (data[0] == '{')
            {
                json = System.Text.Encoding.UTF8.GetBytes(data);
            }
            else
            {
                try
                {
                    var reader = new MessagePackReader(Convert.FromBase64String(data));
                    json = ReadJson(ref reader, attachments);
                }
                catch (Exception e) when (e is FormatException or MessagePackSerializationException or EndOfStreamException
                    or OverflowException or ArgumentOutOfRangeException)
                {
                    return null;
                }
            }
        }
        return new ClusterMessage { Uid = uid ?? "", Nsp = nsp, Type = (ClusterMessageType)typeNumber, Data = json, Attachments = attachments };
    }

    private static void WriteData(ref MessagePackWriter writer, ClusterMessage message)
    {
        using var data = message.ParseData();
        MsgPackJson.WriteValue(ref writer, data.RootElement, message.Attachments);
    }

    private static byte[] ReadJson(ref MessagePackReader reader, List<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (MsgPackJson.ReadJson(ref reader, json, attachments) is not SocketDecodeError.None and var error)
            {
                throw new MessagePackSerializationException($"unreadable data: {error}");
            }
        }
        return buffer.WrittenSpan.ToArray();
    }
}
