namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// An incoming packet as decoded from a WebSocket frame or a polling payload. <see cref="Data"/> points
/// into the receive buffer: it is valid only until the receiving code moves on (copy it to keep it).
/// </summary>
/// <param name="Type">The packet type.</param>
/// <param name="IsBinary">True for binary message data (already base64-decoded when it came by polling).</param>
/// <param name="Data">The payload after the type digit (text as UTF-8), or the binary bytes.</param>
public readonly record struct DecodedPacket(EnginePacketType Type, bool IsBinary, ReadOnlyMemory<byte> Data)
{
    /// <summary>True for <c>2probe</c> / <c>3probe</c>.</summary>
    public bool IsProbe => !IsBinary && Data.Span.SequenceEqual("probe"u8);
}

/// <summary>Why bytes could not be decoded as Engine.IO packets; each one closes the session with "parse error".</summary>
internal enum EngineDecodeError
{
    /// <summary>No error.</summary>
    None,
    /// <summary>An empty packet (the protocol has no empty packet).</summary>
    EmptyPacket,
    /// <summary>The first character is not a type digit 0-6 (nor <c>b</c> in a polling payload).</summary>
    UnknownType,
    /// <summary>A <c>b</c> entry whose payload is not valid base64.</summary>
    InvalidBase64,
    /// <summary>A binary WebSocket frame's or payload entry's data is not valid UTF-8 where text is required.</summary>
    InvalidUtf8,
    /// <summary>An Engine.IO v3 payload length that is missing, not a number, or past the end of the body.</summary>
    InvalidLength,
}
