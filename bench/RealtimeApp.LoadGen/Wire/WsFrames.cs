using System.Buffers.Binary;

namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// RFC 6455 framing for what the client sends. Client frames must be masked; we use the all-zero mask key,
/// which is legal and makes masking the identity, so payloads are written in place with no XOR pass.
/// </summary>
internal static class WsFrames
{
    public const byte OpContinuation = 0x0;
    public const byte OpText = 0x1;
    public const byte OpBinary = 0x2;
    public const byte OpClose = 0x8;
    public const byte OpPing = 0x9;
    public const byte OpPong = 0xA;

    /// <summary>Header of a masked frame whose payload is under 126 bytes: 2 bytes + the 4-byte mask key.</summary>
    public const int SmallHeaderLength = 6;

    /// <summary>The largest payload a <see cref="SmallHeaderLength"/> header can describe.</summary>
    public const int SmallPayloadMax = 125;

    /// <summary>
    /// Fills the 6-byte header in front of a payload already written at <c>frame[6..]</c>; returns the frame
    /// length. Every frame the scenarios send is small, so writing the payload first never needs a move.
    /// </summary>
    public static int CompleteSmallFrame(Span<byte> frame, byte opcode, int payloadLength)
    {
        if ((uint)payloadLength > SmallPayloadMax)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "small frames only");
        }
        frame[0] = (byte)(0x80 | opcode); // FIN
        frame[1] = (byte)(0x80 | payloadLength); // MASK bit
        BinaryPrimitives.WriteInt32LittleEndian(frame[2..], 0); // zero mask key
        return SmallHeaderLength + payloadLength;
    }

    /// <summary>Writes a whole small masked frame (header + copy of the payload); returns its length.</summary>
    public static int WriteSmallFrame(Span<byte> destination, byte opcode, ReadOnlySpan<byte> payload)
    {
        payload.CopyTo(destination[SmallHeaderLength..]);
        return CompleteSmallFrame(destination, opcode, payload.Length);
    }

    /// <summary>A ready-made masked text frame, for fixed messages sent at setup time or rarely.</summary>
    public static byte[] TextFrame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[SmallHeaderLength + payload.Length];
        WriteSmallFrame(frame, OpText, payload);
        return frame;
    }
}
