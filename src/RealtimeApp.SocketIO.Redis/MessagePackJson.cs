using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// Between the Socket.IO form of event arguments (JSON with <c>{"_placeholder":true,"num":n}</c> where the
/// binary attachments go) and the msgpack Node's adapter publishes (notepack.io: binary as <c>bin</c>,
/// integers in their smallest form, other numbers float64, Dates as the timestamp extension).
/// </summary>
internal static class MessagePackJson
{
    /// <summary>Writes <paramref name="value"/> with each placeholder replaced by its attachment's bytes.</summary>
    public static void Write(ref MessagePackWriter writer, JsonElement value, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when IsPlaceholder(value, out var num) && num >= 0 && num < attachments.Count:
                writer.Write(attachments[num].Span);
                break;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in value.EnumerateObject())
                {
                    count++;
                }
                writer.WriteMapHeader(count);
                foreach (var property in value.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value, attachments);
                }
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    Write(ref writer, item, attachments);
                }
                break;
            case JsonValueKind.String:
                writer.Write(value.GetString());
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number when value.TryGetUInt64(out var unsigned):
                writer.Write(unsigned);
                break;
            case JsonValueKind.Number:
                writer.Write(value.GetDouble());
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    /// <summary>Reads one msgpack value as JSON; <c>bin</c> (and unknown extensions) become attachments and placeholders.</summary>
    public static void Read(ref MessagePackReader reader, Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                json.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                json.WriteNumberValue(reader.ReadDouble());
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Binary:
                WritePlaceholder(json, attachments, reader.ReadBytes()!.Value.ToArray());
                break;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < length; i++)
                {
                    Read(ref reader, json, attachments);
                }
                json.WriteEndArray();
                break;
            case MessagePackType.Map:
                var entries = reader.ReadMapHeader();
                json.WriteStartObject();
                for (var i = 0; i < entries; i++)
                {
                    json.WritePropertyName(reader.NextMessagePackType == MessagePackType.String ? reader.ReadString()! : Scalar(ref reader));
                    Read(ref reader, json, attachments);
                }
                json.WriteEndObject();
                break;
            case MessagePackType.Extension:
                var header = reader.ReadExtensionFormatHeader();
                var data = reader.ReadRaw(header.Length).ToArray();
                if (header.TypeCode == ReservedMessagePackExtensionTypeCode.DateTime)
                {
                    // A JavaScript Date: JSON.stringify gives the ISO string, which is what a JSON peer sees.
                    var date = new MessagePackReader(WithHeader(header, data)).ReadDateTime();
                    json.WriteStringValue(date.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    WritePlaceholder(json, attachments, data); // notepack's old ArrayBuffer form (ext 0)
                }
                break;
            default:
                reader.Skip();
                json.WriteNullValue();
                break;
        }
    }

    private static string Scalar(ref MessagePackReader reader)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            Read(ref reader, writer, []);
        }
        return System.Text.Encoding.UTF8.GetString(json.WrittenSpan);
    }

    private static void WritePlaceholder(Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, byte[] bytes)
    {
        json.WriteStartObject();
        json.WriteBoolean("_placeholder"u8, true);
        json.WriteNumber("num"u8, attachments.Count);
        json.WriteEndObject();
        attachments.Add(bytes);
    }

    private static ReadOnlyMemory<byte> WithHeader(ExtensionHeader header, byte[] data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteExtensionFormatHeader(header);
        writer.WriteRaw(data);
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is Socket.IO's binary placeholder <c>{"_placeholder":true,"num":n}</c>
    /// (as <see cref="RealtimeApp.SocketIO.Adapters.PacketData"/> carries binary), and its attachment index (-1
    /// when "num" is not an integer: a hostile peer may send anything).
    /// </summary>
    private static bool IsPlaceholder(JsonElement value, out int num)
    {
        num = -1;
        if (!value.TryGetProperty("_placeholder", out var flag) || flag.ValueKind != JsonValueKind.True)
        {
            return false;
        }
        if (!value.TryGetProperty("num", out var index) || index.ValueKind != JsonValueKind.Number || !index.TryGetInt32(out num))
        {
            num = -1;
        }
        return true;
    }
}
