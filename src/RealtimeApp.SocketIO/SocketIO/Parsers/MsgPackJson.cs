using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Parsers;

/// <summary>
/// Converts values between msgpack (as <c>notepack.io</c>, the msgpack parser's codec, writes them) and the
/// library's JSON-with-placeholders form. notepack's own extension type 0 means <c>undefined</c> (fixext 1), a
/// <c>Date</c> (fixext 8, milliseconds) or an <c>ArrayBuffer</c> (ext 8/16/32); they become what
/// <c>JSON.stringify</c> would make of them (nothing in an object, <c>null</c> in an array; the ISO string) and
/// binary. Nesting is bounded as in the JSON parser (64 levels), so a hostile packet of nested arrays is an
/// error, not a deep recursion.
/// </summary>
internal static partial class MsgPackJson
{
    private const int MaxDepth = 64;
    private const sbyte NotepackType = 0;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth + 1,
    };

    /// <summary>The JSON of msgpack value <paramref name="data"/>; its binary values become placeholders into <paramref name="attachments"/>.</summary>
    public static SocketDecodeError ToJson(ReadOnlyMemory<byte> data, List<ReadOnlyMemory<byte>> attachments,
        int maxAttachments, out byte[] json)
    {
        json = [];
        var buffer = new ArrayBufferWriter<byte>(data.Length * 2 + 16);
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                var reader = new MessagePackReader(data);
                var error = WriteJson(ref reader, writer, attachments, maxAttachments, depth: 1);
                if (error != SocketDecodeError.None)
                {
                    return error;
                }
            }
        }
        // ArgumentOutOfRangeException: MessagePack-CSharp 2.5 reads a str32/bin32 length above int.MaxValue as a negative
        // count (found by fuzz/, msgpack-packet target); the input is malformed all the same.
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException
            or ArgumentOutOfRangeException)
        {
            return SocketDecodeError.InvalidMsgPack;
        }
        json = buffer.WrittenSpan.ToArray();
        return SocketDecodeError.None;
    }

    /// <summary>
    /// Reads one msgpack value from <paramref name="reader"/> as JSON: for the Redis adapter, whose messages carry a
    /// packet's data inside a larger msgpack message (Node's adapters write it with notepack too).
    /// </summary>
    internal static SocketDecodeError ReadJson(ref MessagePackReader reader, Utf8JsonWriter writer,
        List<ReadOnlyMemory<byte>> attachments) =>
        WriteJson(ref reader, writer, attachments, int.MaxValue, depth: 1);

    private static SocketDecodeError WriteJson(ref MessagePackReader reader, Utf8JsonWriter writer,
        List<ReadOnlyMemory<byte>> attachments, int maxAttachments, int depth)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                writer.WriteNullValue();
                return SocketDecodeError.None;
            case MessagePackType.Boolean:
                writer.WriteBooleanValue(reader.ReadBoolean());
                return SocketDecodeError.None;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    writer.WriteNumberValue(reader.ReadUInt64());
                }
                else
                {
                    writer.WriteNumberValue(reader.ReadInt64());
                }
                return SocketDecodeError.None;
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                if (IsInteger(number))
                {
                    // As JSON.stringify: 6.6e17 is "660000000000000000"; and the encoder writes it back as an integer.
                    writer.WriteNumberValue((long)number);
                }
                else if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteNullValue(); // as JSON.stringify(NaN)
                }
                return SocketDecodeError.None;
            case MessagePackType.String:
                writer.WriteStringValue(reader.ReadString());
                return SocketDecodeError.None;
            case MessagePackType.Binary:
                return WriteAttachment(reader.ReadBytes()!.Value, writer, attachments, maxAttachments, depth);
            case MessagePackType.Array:
                if (depth > MaxDepth)
                {
                    return SocketDecodeError.InvalidMsgPack;
                }
                var count = reader.ReadArrayHeader();
                writer.WriteStartArray();
                for (var i = 0; i < count; i++)
                {
                    if (IsUndefined(ref reader))
                    {
                        reader.Skip();
                        writer.WriteNullValue(); // [undefined] is [null] in JSON
                        continue;
                    }
                    var error = WriteJson(ref reader, writer, attachments, maxAttachments, depth + 1);
                    if (error != SocketDecodeError.None)
                    {
                        return error;
                    }
                }
                writer.WriteEndArray();
                return SocketDecodeError.None;
            case MessagePackType.Map:
                return WriteObject(ref reader, writer, attachments, maxAttachments, depth);
            case MessagePackType.Extension:
                return WriteExtension(ref reader, writer, attachments, maxAttachments, depth);
            default:
                return SocketDecodeError.InvalidMsgPack;
        }
    }

    private static SocketDecodeError WriteObject(ref MessagePackReader reader, Utf8JsonWriter writer,
        List<ReadOnlyMemory<byte>> attachments, int maxAttachments, int depth)
    {
        if (depth > MaxDepth)
        {
            return SocketDecodeError.InvalidMsgPack;
        }
        var count = reader.ReadMapHeader();
        writer.WriteStartObject();
        for (var i = 0; i < count; i++)
        {
            string? key = reader.NextMessagePackType switch
            {
                MessagePackType.String => reader.ReadString(),
                // JavaScript objects have string keys: a number key is its decimal text.
                MessagePackType.Integer => reader.ReadInt64().ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (key is null)
            {
                return SocketDecodeError.UnsupportedValue;
            }
            if (IsUndefined(ref reader))
            {
                reader.Skip(); // { a: undefined } is {} in JSON
                continue;
            }
            writer.WritePropertyName(key);
            var error = WriteJson(ref reader, writer, attachments, maxAttachments, depth + 1);
            if (error != SocketDecodeError.None)
            {
                return error;
            }
        }
        writer.WriteEndObject();
        return SocketDecodeError.None;
    }

    private static SocketDecodeError WriteExtension(ref MessagePackReader reader, Utf8JsonWriter writer,
        List<ReadOnlyMemory<byte>> attachments, int maxAttachments, int depth)
    {
        var code = reader.NextCode;
        var header = reader.ReadExtensionFormatHeader();
        var body = reader.ReadRaw(header.Length);
        if (header.TypeCode != NotepackType)
        {
            return SocketDecodeError.UnsupportedValue;
        }
        switch (code)
        {
            case MessagePackCode.FixExt1:
                writer.WriteNullValue(); // undefined where JSON has no undefined (the packet's top level)
                return SocketDecodeError.None;
            case MessagePackCode.FixExt8:
                Span<byte> time = stackalloc byte[8];
                body.CopyTo(time);
                var milliseconds = (long)BinaryPrimitives.ReadInt32BigEndian(time) * 0x1_0000_0000L
                    + BinaryPrimitives.ReadUInt32BigEndian(time[4..]);
                if (milliseconds < -62_135_596_800_000 || milliseconds > 253_402_300_799_999)
                {
                    return SocketDecodeError.UnsupportedValue; // outside what DateTimeOffset (and toISOString's common form) holds
                }
                writer.WriteStringValue(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                    .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                return SocketDecodeError.None;
            case MessagePackCode.Ext8 or MessagePackCode.Ext16 or MessagePackCode.Ext32:
                return WriteAttachment(body, writer, attachments, maxAttachments, depth); // an ArrayBuffer
            default:
                return SocketDecodeError.UnsupportedValue;
        }
    }

    private static SocketDecodeError WriteAttachment(ReadOnlySequence<byte> bytes, Utf8JsonWriter writer,
        List<ReadOnlyMemory<byte>> attachments, int maxAttachments, int depth)
    {
        if (attachments.Count >= maxAttachments)
        {
            return SocketDecodeError.TooManyAttachments;
        }
        if (depth > MaxDepth)
        {
            return SocketDecodeError.InvalidMsgPack;
        }
        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder", true);
        writer.WriteNumber("num", attachments.Count);
        writer.WriteEndObject();
        attachments.Add(bytes.ToArray());
        return SocketDecodeError.None;
    }

    /// <summary>An integral double that a long holds exactly enough to be written as one (what notepack does below 2^63).</summary>
    internal static bool IsInteger(double number) => Math.Floor(number) == number && Math.Abs(number) < 9.2e18;

    /// <summary>Whether the next value is notepack's <c>undefined</c> (fixext 1 of type 0).</summary>
    public static bool IsUndefined(ref MessagePackReader reader)
    {
        if (reader.NextCode != MessagePackCode.FixExt1)
        {
            return false;
        }
        var peek = reader.CreatePeekReader();
        return peek.ReadExtensionFormatHeader().TypeCode == NotepackType;
    }

    /// <summary>An integer, or a float with an integral value (JavaScript's <c>Number.isInteger</c>).</summary>
    public static bool TryReadInteger(ref MessagePackReader reader, out long value)
    {
        value = 0;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer when reader.NextCode != MessagePackCode.UInt64:
                value = reader.ReadInt64();
                return true;
            case MessagePackType.Integer:
                var unsigned = reader.ReadUInt64();
                value = unsigned > long.MaxValue ? long.MaxValue : (long)unsigned;
                return true;
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                if (!double.IsFinite(number) || Math.Floor(number) != number || Math.Abs(number) > 9.2e18)
                {
                    return false;
                }
                value = (long)number;
                return true;
            default:
                reader.Skip();
                return false;
        }
    }

    /// <summary>Skips one value, refusing more nesting than the JSON parser allows (no deep recursion on hostile input).</summary>
    public static void SkipChecked(ref MessagePackReader reader, int depth = 1)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
                CheckDepth(depth);
                for (var count = reader.ReadArrayHeader(); count > 0; count--)
                {
                    SkipChecked(ref reader, depth + 1);
                }
                break;
            case MessagePackType.Map:
                CheckDepth(depth);
                for (var count = reader.ReadMapHeader(); count > 0; count--)
                {
                    SkipChecked(ref reader, depth + 1);
                    SkipChecked(ref reader, depth + 1);
                }
                break;
            default:
                reader.Skip();
                break;
        }
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new MessagePackSerializationException("nested too deep");
        }
    }
}
