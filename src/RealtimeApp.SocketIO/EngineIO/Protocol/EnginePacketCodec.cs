using System.Text.Unicode;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// Decodes single Engine.IO v4 packets (engine.io-protocol v4 "Packet encoding"). Pure: no I/O, no
/// allocation, no exceptions for bad input — a typed <see cref="EngineDecodeError"/> instead.
/// </summary>
internal static class EnginePacketCodec
{
    /// <summary>
    /// Decodes a text packet (a WebSocket text frame, or one entry of a polling payload that is not
    /// base64): a type digit followed by the UTF-8 payload.
    /// </summary>
    public static EngineDecodeError DecodeText(ReadOnlyMemory<byte> utf8, out DecodedPacket packet)
    {
        packet = default;
        var span = utf8.Span;
        if (span.IsEmpty)
        {
            return EngineDecodeError.EmptyPacket;
        }
        var digit = span[0] - '0';
        if (digit is < 0 or > (int)EnginePacketType.Noop)
        {
            return EngineDecodeError.UnknownType;
        }
        if (!Utf8.IsValid(span))
        {
            return EngineDecodeError.InvalidUtf8;
        }
        packet = new DecodedPacket((EnginePacketType)digit, IsBinary: false, utf8[1..]);
        return EngineDecodeError.None;
    }

    /// <summary>A binary WebSocket frame: always a message, the whole frame is the data (v4).</summary>
    public static DecodedPacket DecodeBinaryFrame(ReadOnlyMemory<byte> frame) =>
        new(EnginePacketType.Message, IsBinary: true, frame);
}
