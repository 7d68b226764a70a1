using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Parsers;

internal static partial class MsgPackJson
{
    /// <summary>
    /// Writes a JSON value of the library's own making (an emit's payload) as msgpack, as notepack would write
    /// the JavaScript value: integers as the smallest integer format, other numbers as float 64, placeholders
    /// as the <c>bin</c> of their attachment.
    /// </summary>
    public static void WriteValue(ref MessagePackWriter writer, JsonElement value, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when BinaryPlaceholders.TryGetIndex(value, out var num) && num >= 0 && num < attachments.Count:
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
                    WriteValue(ref writer, property.Value, attachments);
                }
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(ref writer, item, attachments);
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
                var number = value.GetDouble();
                // 1.0 and 1e3 are integers to JavaScript, and notepack writes them as such.
                if (IsInteger(number))
                {
                    writer.Write((long)number);
                }
                else
                {
                    writer.Write(number);
                }
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
}
