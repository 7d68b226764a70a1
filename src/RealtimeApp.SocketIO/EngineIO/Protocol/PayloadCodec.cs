using System.Buffers;
using System.Buffers.Text;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// Engine.IO v4 HTTP long-polling payloads: packets joined by the record separator 0x1E, binary
/// packets as <c>b</c> + base64 (engine.io-protocol v4 "Payload encoding"). Pure and span-based.
/// </summary>
internal static class PayloadCodec
{
    /// <summary>The record separator between packets of a payload.</summary>
    public const byte Separator = 0x1E;

    /// <summary>
    /// Decodes a POST body into packets, in order. Base64 entries are decoded in place, so the body
    /// buffer is overwritten and every <see cref="DecodedPacket.Data"/> points into it.
    /// </summary>
    /// <returns><see cref="EngineDecodeError.None"/>, or the first error (packets before it are in <paramref name="packets"/>).</returns>
    public static EngineDecodeError Decode(Memory<byte> payload, List<DecodedPacket> packets)
    {
        if (payload.IsEmpty)
        {
            return EngineDecodeError.EmptyPacket;
        }
        var rest = payload;
        while (true)
        {
            var end = rest.Span.IndexOf(Separator);
            var entry = end < 0 ? rest : rest[..end];
            var error = DecodeEntry(entry, out var packet);
            if (error != EngineDecodeError.None)
            {
                return error;
            }
            packets.Add(packet);
            if (end < 0)
            {
                return EngineDecodeError.None;
            }
            rest = rest[(end + 1)..];
        }
    }

    private static EngineDecodeError DecodeEntry(Memory<byte> entry, out DecodedPacket packet)
    {
        if (!entry.IsEmpty && entry.Span[0] == (byte)'b')
        {
            packet = default;
            var data = entry[1..];
            if (Base64.DecodeFromUtf8InPlace(data.Span, out var written) != OperationStatus.Done)
            {
                return EngineDecodeError.InvalidBase64;
            }
            packet = new DecodedPacket(EnginePacketType.Message, IsBinary: true, data[..written]);
            return EngineDecodeError.None;
        }
        return EnginePacketCodec.DecodeText(entry, out packet);
    }

    /// <summary>Writes <paramref name="packets"/> as one payload (no trailing separator).</summary>
    public static void Encode(IReadOnlyList<EnginePacket> packets, IBufferWriter<byte> writer)
    {
        for (var i = 0; i < packets.Count; i++)
        {
            if (i > 0)
            {
                writer.GetSpan(1)[0] = Separator;
                writer.Advance(1);
            }
            writer.Write(packets[i].PollingSegment.Span);
        }
    }
}
