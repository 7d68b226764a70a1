using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// The text form of Socket.IO v5 packets (socket.io-protocol v5 "Packet encoding"):
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON&gt;]</c>.
/// Decoding applies socket.io-parser 4.2's validation (<c>isPacketValid</c>); any violation is a typed
/// error, never an exception. Pure: no I/O.
/// </summary>
internal static class SocketPacketCodec
{
    /// <summary>socket.io-parser's default <c>maxAttachments</c>.</summary>
    public const int DefaultMaxAttachments = 10;

    /// <summary>Largest ack id a JavaScript peer can represent exactly (Number.MAX_SAFE_INTEGER).</summary>
    internal const long MaxAckId = 9_007_199_254_740_991;

    private static readonly string[] ReservedEvents =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    /// <summary>Decodes one text packet. The payload bytes are copied: <paramref name="utf8"/> may be reused afterwards.</summary>
    public static SocketDecodeError Decode(ReadOnlySpan<byte> utf8, out SocketPacket? packet,
        int maxAttachments = DefaultMaxAttachments)
    {
        packet = null;
        if (utf8.IsEmpty || utf8[0] < '0' || utf8[0] > '6')
        {
            return SocketDecodeError.UnknownType;
        }
        // System.Text.Json parses strings without checking their text: bytes that are not UTF-8 only fail when a
        // string is read (GetString() throws InvalidOperationException — here for the event name, later for the
        // placeholders' property names). Engine.IO hands over only valid UTF-8, but the codec's contract is a
        // typed error for any input (found by fuzz/, socket-packet target).
        if (!Utf8.IsValid(utf8))
        {
            return SocketDecodeError.InvalidJson;
        }
        var type = (SocketPacketType)(utf8[0] - '0');
        var i = 1;

        var attachments = 0;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            var dash = utf8[i..].IndexOf((byte)'-');
            if (dash <= 0 || !Utf8Parser.TryParse(utf8.Slice(i, dash), out attachments, out var used) || used != dash)
            {
                return SocketDecodeError.InvalidAttachmentCount;
            }
            if (attachments > maxAttachments)
            {
                return SocketDecodeError.TooManyAttachments;
            }
            i += dash + 1;
        }

        var nsp = "/";
        if (i < utf8.Length && utf8[i] == '/')
        {
            // A namespace ends at ',' — or at the end of the text: clients send "40/custom" too.
            var comma = utf8[i..].IndexOf((byte)',');
            var end = comma < 0 ? utf8.Length : i + comma;
            nsp = Encoding.UTF8.GetString(utf8[i..end]);
            i = comma < 0 ? end : end + 1;
        }

        long? ackId = null;
        var digits = 0;
        while (i + digits < utf8.Length && utf8[i + digits] is >= (byte)'0' and <= (byte)'9')
        {
            digits++;
        }
        if (digits > 0)
        {
            if (!Utf8Parser.TryParse(utf8.Slice(i, digits), out long id, out _) || id > MaxAckId)
            {
                return SocketDecodeError.InvalidAckId;
            }
            ackId = id;
            i += digits;
        }

        var payload = utf8[i..];
        JsonElement? data = null;
        byte[] copy = [];
        if (!payload.IsEmpty)
        {
            copy = payload.ToArray();
            try
            {
                using var document = JsonDocument.Parse(copy);
                data = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return SocketDecodeError.InvalidJson;
            }
            // Likewise a \u escape that leaves a lone surrogate ("\udc00": valid JSON, and what JSON.stringify
            // writes for one) throws only when read. Checked only when the text has a \u escape at all (rare).
            if (payload.IndexOf("\\u"u8) >= 0 && !EscapesAreValidUtf16(copy))
            {
                return SocketDecodeError.InvalidJson;
            }
        }

        var shape = ValidateShape(type, data, ackId);
        if (shape != SocketDecodeError.None)
        {
            return shape;
        }

        packet = new SocketPacket
        {
            Type = type,
            Namespace = nsp,
            AckId = ackId,
            Payload = copy,
            Data = data,
            AttachmentCount = attachments,
        };
        return SocketDecodeError.None;
    }

    /// <summary>Whether every escaped string and property name of valid JSON <paramref name="json"/> reads as UTF-16.</summary>
    private static bool EscapesAreValidUtf16(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString(); // the only way System.Text.Json offers to check an escape: it throws
                }
            }
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // socket.io-parser isPacketValid: what each type's payload must look like.
    internal static SocketDecodeError ValidateShape(SocketPacketType type, JsonElement? data, long? ackId)
    {
        switch (type)
        {
            case SocketPacketType.Connect:
                return data is null || data.Value.ValueKind == JsonValueKind.Object ? SocketDecodeError.None : SocketDecodeError.InvalidPayload;
            case SocketPacketType.Disconnect:
                return data is null ? SocketDecodeError.None : SocketDecodeError.InvalidPayload;
            case SocketPacketType.ConnectError:
                return data is { ValueKind: JsonValueKind.String or JsonValueKind.Object } ? SocketDecodeError.None : SocketDecodeError.InvalidPayload;
            case SocketPacketType.Event or SocketPacketType.BinaryEvent:
                if (data is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
                {
                    return SocketDecodeError.InvalidPayload;
                }
                var name = array[0];
                if (name.ValueKind == JsonValueKind.Number)
                {
                    return SocketDecodeError.None;
                }
                if (name.ValueKind != JsonValueKind.String)
                {
                    return SocketDecodeError.InvalidPayload;
                }
                return Array.IndexOf(ReservedEvents, name.GetString()) >= 0 ? SocketDecodeError.ReservedEventName : SocketDecodeError.None;
            case SocketPacketType.Ack or SocketPacketType.BinaryAck:
                return ackId is not null && data is { ValueKind: JsonValueKind.Array } ? SocketDecodeError.None : SocketDecodeError.InvalidPayload;
            default:
                return SocketDecodeError.UnknownType;
        }
    }

    /// <summary>
    /// Encodes a packet's text part as UTF-8: the namespace is written only when it is not <c>/</c> and then
    /// always ends with a comma (<c>40/custom,{"sid":"…"}</c>, <c>1/admin,</c>).
    /// </summary>
    public static byte[] Encode(SocketPacketType type, string nsp, long? ackId, ReadOnlySpan<byte> jsonPayload, int attachments = 0)
    {
        var binary = type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck;
        Span<byte> numbers = stackalloc byte[40];
        var written = 0;
        if (binary)
        {
            Utf8Formatter.TryFormat(attachments, numbers, out var n);
            numbers[n] = (byte)'-';
            written = n + 1;
        }
        var nspBytes = nsp == "/" ? 0 : Encoding.UTF8.GetByteCount(nsp) + 1;
        var idLength = 0;
        if (ackId is { } id)
        {
            Utf8Formatter.TryFormat(id, numbers[written..], out idLength);
        }

        var result = new byte[1 + written + nspBytes + idLength + jsonPayload.Length];
        result[0] = (byte)('0' + (byte)type);
        var at = 1;
        numbers[..written].CopyTo(result.AsSpan(at));
        at += written;
        if (nspBytes > 0)
        {
            at += Encoding.UTF8.GetBytes(nsp, result.AsSpan(at));
            result[at++] = (byte)',';
        }
        numbers.Slice(written, idLength).CopyTo(result.AsSpan(at));
        at += idLength;
        jsonPayload.CopyTo(result.AsSpan(at));
        return result;
    }
}
