using System.Buffers.Text;
using System.Text;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// An outgoing Engine.IO packet, encoded once at construction and immutable afterwards, so one instance
/// can be handed to any number of sessions (a broadcast encodes its packet once, whatever the
/// transport of each recipient).
/// </summary>
public sealed class EnginePacket
{
    private byte[]? _pollingSegment;
    private byte[]? _v3Binary; // lazily: only sessions of Engine.IO v3 clients read it
    private EnginePacket? _uncompressed; // lazily: only for emits with Compress(false)

    private EnginePacket(EnginePacketType type, bool isBinary, ReadOnlyMemory<byte> frame)
    {
        Type = type;
        IsBinary = isBinary;
        Frame = frame;
    }

    /// <summary>The packet type.</summary>
    public EnginePacketType Type { get; }

    /// <summary>True for a binary message (raw bytes, sent as a binary WebSocket frame).</summary>
    public bool IsBinary { get; }

    /// <summary>
    /// The WebSocket frame: for text packets the UTF-8 of type digit + payload (<c>4hello</c>), for binary
    /// messages the raw bytes with no prefix (a binary frame implies "message").
    /// </summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>
    /// True for a copy made by <see cref="Uncompressed"/>: over a WebSocket with permessage-deflate negotiated,
    /// its frame is sent uncompressed (Node's <c>compress(false)</c>). Polling responses ignore it.
    /// </summary>
    public bool DisableCompression { get; private init; }

    /// <summary>
    /// This packet marked <see cref="DisableCompression"/>, sharing its frame; made once and kept, so every
    /// recipient of a broadcast gets the same instance.
    /// </summary>
    internal EnginePacket Uncompressed =>
        DisableCompression ? this : _uncompressed ??= new EnginePacket(Type, IsBinary, Frame) { DisableCompression = true };

    /// <summary>
    /// The packet as one entry of a v4 polling payload: the text frame itself, or for binary
    /// <c>b</c> + base64 (polling bodies are text). Computed on first use and cached.
    /// </summary>
    public ReadOnlyMemory<byte> PollingSegment => IsBinary ? _pollingSegment ??= EncodeBase64Segment(Frame.Span) : Frame;

    /// <summary>
    /// A binary message as Engine.IO v3 frames it: the type byte <c>4</c>, then the bytes (v3 binary
    /// WebSocket frames and binary polling payloads carry the type; v4 dropped it). Cached.
    /// </summary>
    internal ReadOnlyMemory<byte> V3BinaryFrame => _v3Binary ??= [(byte)EnginePacketType.Message, .. Frame.Span];

    /// <summary>
    /// The packet as Engine.IO v3 text: a text packet as it is, a binary message as <c>b4</c> + base64
    /// (the v3 base64 rule keeps the type digit). Not cached: only base64-only v3 clients need it.
    /// </summary>
    internal ReadOnlyMemory<byte> V3TextSegment()
    {
        if (!IsBinary)
        {
            return Frame;
        }
        var base64 = PollingSegment.Span[1..];
        var segment = new byte[2 + base64.Length];
        segment[0] = (byte)'b';
        segment[1] = (byte)('0' + (byte)EnginePacketType.Message);
        base64.CopyTo(segment.AsSpan(2));
        return segment;
    }

    /// <summary>A text packet of <paramref name="type"/> with an optional UTF-8 payload.</summary>
    public static EnginePacket Text(EnginePacketType type, ReadOnlySpan<byte> utf8Payload = default)
    {
        var frame = new byte[1 + utf8Payload.Length];
        frame[0] = (byte)('0' + (byte)type);
        utf8Payload.CopyTo(frame.AsSpan(1));
        return new EnginePacket(type, isBinary: false, frame);
    }

    /// <summary>A text packet of <paramref name="type"/> with a string payload.</summary>
    public static EnginePacket Text(EnginePacketType type, string payload)
    {
        var frame = new byte[1 + Encoding.UTF8.GetByteCount(payload)];
        frame[0] = (byte)('0' + (byte)type);
        Encoding.UTF8.GetBytes(payload, frame.AsSpan(1));
        return new EnginePacket(type, isBinary: false, frame);
    }

    /// <summary>A text message (<c>4</c> + text).</summary>
    public static EnginePacket Message(string text) => Text(EnginePacketType.Message, text);

    /// <summary>A text message from UTF-8 bytes (<c>4</c> + bytes).</summary>
    public static EnginePacket Message(ReadOnlySpan<byte> utf8) => Text(EnginePacketType.Message, utf8);

    /// <summary>A binary message. The memory is not copied: it must not change afterwards.</summary>
    public static EnginePacket Binary(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, isBinary: true, data);

    /// <summary>Shared instances of the payload-less control packets.</summary>
    public static readonly EnginePacket Ping = Text(EnginePacketType.Ping);
    /// <inheritdoc cref="Ping"/>
    public static readonly EnginePacket Noop = Text(EnginePacketType.Noop);
    /// <inheritdoc cref="Ping"/>
    public static readonly EnginePacket Close = Text(EnginePacketType.Close);
    /// <inheritdoc cref="Ping"/>
    public static readonly EnginePacket Pong = Text(EnginePacketType.Pong);
    /// <summary>The upgrade probe answer, <c>3probe</c>.</summary>
    public static readonly EnginePacket PongProbe = Text(EnginePacketType.Pong, "probe"u8);

    private static byte[] EncodeBase64Segment(ReadOnlySpan<byte> data)
    {
        var segment = new byte[1 + Base64.GetMaxEncodedToUtf8Length(data.Length)];
        segment[0] = (byte)'b';
        Base64.EncodeToUtf8(data, segment.AsSpan(1), out _, out var written);
        return written + 1 == segment.Length ? segment : segment[..(written + 1)];
    }
}
