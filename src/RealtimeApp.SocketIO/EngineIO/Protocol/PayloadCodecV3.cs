using System.Buffers;
using System.Buffers.Text;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// Engine.IO v3 HTTP long-polling payloads (engine.io-parser 2.x, what <c>socket.io-client</c> 1.x/2.x
/// speaks). Two framings:
/// <list type="bullet">
/// <item>text: each packet as <c>&lt;length&gt;:&lt;packet&gt;</c>, the length in UTF-16 code units (JavaScript's
/// <c>string.length</c>), binary messages as <c>b4</c> + base64;</item>
/// <item>binary (<c>application/octet-stream</c>, for clients that did not ask for base64): per packet a
/// byte 0 (string) or 1 (binary), the decimal digits of its byte length as byte values 0-9, a 255 byte,
/// then the packet — a string as UTF-8 with its type digit, binary as the type byte and the raw bytes.</item>
/// </list>
/// Pure and span-based, like <see cref="PayloadCodec"/>.
/// </summary>
internal static class PayloadCodecV3
{
    private const byte StringMarker = 0;
    private const byte BinaryMarker = 1;
    private const byte LengthEnd = 255;
    private const int MaxLengthDigits = 10; // 10 digits already exceed any body we accept

    /// <summary>Whether <paramref name="packets"/> go out in the binary framing: only when the client takes binary and one of them is binary.</summary>
    public static bool UsesBinaryFraming(IReadOnlyList<EnginePacket> packets, bool supportsBinary)
    {
        if (!supportsBinary)
        {
            return false;
        }
        foreach (var packet in packets)
        {
            if (packet.IsBinary)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes <paramref name="packets"/> in the text framing.</summary>
    public static void EncodeText(IReadOnlyList<EnginePacket> packets, IBufferWriter<byte> writer)
    {
        foreach (var packet in packets)
        {
            var segment = packet.V3TextSegment().Span;
            WriteAscii(writer, Utf16Length(segment).ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteAscii(writer, ":");
            writer.Write(segment);
        }
    }

    /// <summary>Writes <paramref name="packets"/> in the binary framing.</summary>
    public static void EncodeBinary(IReadOnlyList<EnginePacket> packets, IBufferWriter<byte> writer)
    {
        foreach (var packet in packets)
        {
            var bytes = packet.IsBinary ? packet.V3BinaryFrame.Span : packet.Frame.Span;
            var digits = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var header = writer.GetSpan(digits.Length + 2);
            header[0] = packet.IsBinary ? BinaryMarker : StringMarker;
            for (var i = 0; i < digits.Length; i++)
            {
                header[1 + i] = (byte)(digits[i] - '0');
            }
            header[1 + digits.Length] = LengthEnd;
            writer.Advance(digits.Length + 2);
            writer.Write(bytes);
        }
    }

    /// <summary>Decodes a text-framed POST body; base64 entries are decoded in place (the body is overwritten).</summary>
    /// <returns><see cref="EngineDecodeError.None"/>, or the first error.</returns>
    public static EngineDecodeError DecodeText(Memory<byte> payload, List<DecodedPacket> packets)
    {
        if (payload.IsEmpty)
        {
            return EngineDecodeError.EmptyPacket;
        }
        var rest = payload;
        while (!rest.IsEmpty)
        {
            var colon = rest.Span.IndexOf((byte)':');
            if (colon is <= 0 or > MaxLengthDigits || !TryParseDigits(rest.Span[..colon], out var units))
            {
                return EngineDecodeError.InvalidLength;
            }
            rest = rest[(colon + 1)..];
            if (!TryTakeUtf16Units(rest.Span, units, out var byteCount))
            {
                return EngineDecodeError.InvalidLength;
            }
            if (byteCount == 0)
            {
                continue; // "0:" is v3's empty payload; Node skips empty entries
            }
            var error = DecodeTextEntry(rest[..byteCount], out var packet);
            if (error != EngineDecodeError.None)
            {
                return error;
            }
            packets.Add(packet);
            rest = rest[byteCount..];
        }
        return EngineDecodeError.None;
    }

    /// <summary>Decodes a binary-framed (<c>application/octet-stream</c>) POST body.</summary>
    /// <returns><see cref="EngineDecodeError.None"/>, or the first error.</returns>
    public static EngineDecodeError DecodeBinary(ReadOnlyMemory<byte> payload, List<DecodedPacket> packets)
    {
        if (payload.IsEmpty)
        {
            return EngineDecodeError.EmptyPacket;
        }
        var rest = payload;
        while (!rest.IsEmpty)
        {
            var span = rest.Span;
            var marker = span[0];
            var end = span[1..].IndexOf(LengthEnd);
            if (marker > BinaryMarker || end is <= 0 or > MaxLengthDigits)
            {
                return EngineDecodeError.InvalidLength;
            }
            long length = 0;
            foreach (var digit in span.Slice(1, end))
            {
                if (digit > 9)
                {
                    return EngineDecodeError.InvalidLength;
                }
                length = length * 10 + digit;
            }
            rest = rest[(end + 2)..];
            if (length == 0 || length > rest.Length)
            {
                return EngineDecodeError.InvalidLength;
            }
            var entry = rest[..(int)length];
            rest = rest[(int)length..];
            if (marker == StringMarker)
            {
                var error = EnginePacketCodec.DecodeText(entry, out var text);
                if (error != EngineDecodeError.None)
                {
                    return error;
                }
                packets.Add(text);
                continue;
            }
            var type = entry.Span[0];
            if (type > (byte)EnginePacketType.Noop)
            {
                return EngineDecodeError.UnknownType;
            }
            packets.Add(new DecodedPacket((EnginePacketType)type, IsBinary: true, entry[1..]));
        }
        return EngineDecodeError.None;
    }

    /// <summary>
    /// A v3 binary WebSocket frame: its first byte is the packet type, the rest the data (v4 frames carry
    /// no type byte).
    /// </summary>
    public static EngineDecodeError DecodeBinaryFrame(ReadOnlyMemory<byte> frame, out DecodedPacket packet)
    {
        packet = default;
        if (frame.IsEmpty)
        {
            return EngineDecodeError.EmptyPacket;
        }
        if (frame.Span[0] > (byte)EnginePacketType.Noop)
        {
            return EngineDecodeError.UnknownType;
        }
        packet = new DecodedPacket((EnginePacketType)frame.Span[0], IsBinary: true, frame[1..]);
        return EngineDecodeError.None;
    }

    /// <summary>A text packet, or <c>b</c> + type digit + base64 (decoded in place).</summary>
    public static EngineDecodeError DecodeTextEntry(Memory<byte> entry, out DecodedPacket packet)
    {
        if (entry.IsEmpty || entry.Span[0] != (byte)'b')
        {
            return EnginePacketCodec.DecodeText(entry, out packet);
        }
        packet = default;
        if (entry.Length < 2)
        {
            return EngineDecodeError.UnknownType;
        }
        var digit = entry.Span[1] - '0';
        if (digit is < 0 or > (int)EnginePacketType.Noop)
        {
            return EngineDecodeError.UnknownType;
        }
        var data = entry[2..];
        if (Base64.DecodeFromUtf8InPlace(data.Span, out var written) != OperationStatus.Done)
        {
            return EngineDecodeError.InvalidBase64;
        }
        packet = new DecodedPacket((EnginePacketType)digit, IsBinary: true, data[..written]);
        return EngineDecodeError.None;
    }

    /// <summary>How many UTF-16 code units the UTF-8 text <paramref name="utf8"/> is (a 4-byte sequence is two).</summary>
    internal static int Utf16Length(ReadOnlySpan<byte> utf8)
    {
        var units = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80) // every lead byte starts a character
            {
                units += b >= 0xF0 ? 2 : 1;
            }
        }
        return units;
    }

    /// <summary>The byte length of the first <paramref name="units"/> UTF-16 code units of <paramref name="utf8"/>.</summary>
    private static bool TryTakeUtf16Units(ReadOnlySpan<byte> utf8, long units, out int byteCount)
    {
        byteCount = 0;
        while (units > 0)
        {
            if (byteCount >= utf8.Length)
            {
                return false;
            }
            var lead = utf8[byteCount];
            var (bytes, width) = lead switch
            {
                < 0x80 => (1, 1),
                >= 0xC0 and < 0xE0 => (2, 1),
                >= 0xE0 and < 0xF0 => (3, 1),
                >= 0xF0 and < 0xF8 => (4, 2),
                _ => (0, 0), // a continuation byte where a character should start
            };
            if (bytes == 0 || width > units || byteCount + bytes > utf8.Length)
            {
                return false; // bad UTF-8, or a length that splits a character
            }
            byteCount += bytes;
            units -= width;
        }
        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static void WriteAscii(IBufferWriter<byte> writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        writer.Advance(text.Length);
    }
}
