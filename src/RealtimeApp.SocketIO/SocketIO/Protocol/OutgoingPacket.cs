using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// A Socket.IO packet encoded once into the Engine.IO packets that carry it — with the JSON parser the text
/// packet, then one binary message per attachment; with the msgpack parser one binary message, made from those
/// on first use — ready to be handed to any number of sessions unchanged.
/// </summary>
internal sealed class OutgoingPacket
{
    private readonly EnginePacket[] _frames;
    private readonly SocketPacketType _type;
    private readonly string _nsp;
    private readonly long? _ackId;
    private readonly int _jsonLength; // the JSON payload is the end of the text frame: no second copy is kept
    private EnginePacket[]? _msgPackFrames;

    private OutgoingPacket(SocketPacketType type, string nsp, long? ackId, ReadOnlySpan<byte> json,
        IReadOnlyList<ReadOnlyMemory<byte>>? attachments, string? offset = null)
    {
        _type = type;
        _nsp = nsp;
        _ackId = ackId;
        _jsonLength = json.Length;
        _frames = Encode(type, nsp, ackId, json, attachments);
        Offset = offset;
    }

    /// <summary>
    /// The connection state recovery offset appended as the event's last argument, when the packet is
    /// stored for recovery; null otherwise.
    /// </summary>
    public string? Offset { get; }

    /// <summary>The Engine.IO packets, in the order they must be sent.</summary>
    public IReadOnlyList<EnginePacket> Frames => _frames;

    /// <summary>
    /// The Engine.IO packets in <paramref name="parser"/>'s form, without an interface in the way: read once per
    /// recipient of a broadcast. A server speaks one parser, so only one form is ever made per packet.
    /// </summary>
    internal ReadOnlySpan<EnginePacket> FramesFor(SocketIOParser parser) =>
        parser == SocketIOParser.Json ? _frames : _msgPackFrames ?? MakeMsgPackFrames();

    private EnginePacket[] MakeMsgPackFrames()
    {
        var attachments = new ReadOnlyMemory<byte>[_frames.Length - 1];
        for (var i = 1; i < _frames.Length; i++)
        {
            attachments[i - 1] = _frames[i].Frame;
        }
        var text = _frames[0].Frame;
        var json = text[(text.Length - _jsonLength)..];
        var frames = new[] { EnginePacket.Binary(Parsers.MsgPackPacketCodec.Encode(_type, _nsp, _ackId, json, attachments)) };
        // Racing senders of one broadcast may both encode: the same bytes, and one of them is kept.
        return Interlocked.CompareExchange(ref _msgPackFrames, frames, null) ?? frames;
    }

    /// <summary>An EVENT (BINARY_EVENT when <paramref name="args"/> hold binary) to <paramref name="nsp"/>.</summary>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public static OutgoingPacket Event(string nsp, string eventName, ReadOnlySpan<object?> args, long? ackId = null) =>
        Event(nsp, eventName, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)), ackId);

    /// <summary>An EVENT with one argument described by source-generated metadata (trim- and AOT-safe).</summary>
    public static OutgoingPacket Event<T>(string nsp, string eventName, T arg, JsonTypeInfo<T> typeInfo, long? ackId = null) =>
        Event(nsp, eventName, new TypedArgument<T>(arg, typeInfo), ackId);

    internal static OutgoingPacket Event<TArgs>(string nsp, string eventName, scoped TArgs args, long? ackId = null)
        where TArgs : IPayloadArguments, allows ref struct
    {
        var (json, attachments) = SocketPayload.Serialize(eventName, args);
        return Create(attachments.Count > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event, nsp, ackId, json, attachments);
    }

    /// <summary>
    /// An EVENT stored for connection state recovery: <paramref name="offset"/> goes last in the arguments,
    /// where a client with a session id reads it as the offset it has reached (as Node does).
    /// </summary>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public static OutgoingPacket StoredEvent(string nsp, string eventName, ReadOnlySpan<object?> args, string offset) =>
        StoredEvent(nsp, eventName, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)), offset);

    internal static OutgoingPacket StoredEvent<TArgs>(string nsp, string eventName, scoped TArgs args, string offset)
        where TArgs : IPayloadArguments, allows ref struct
    {
        var (json, attachments) = SocketPayload.Serialize(eventName, args, offset);
        var type = attachments.Count > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event;
        return new OutgoingPacket(type, nsp, null, json, attachments, offset);
    }

    /// <summary>An ACK (BINARY_ACK when <paramref name="args"/> hold binary) answering <paramref name="ackId"/>.</summary>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public static OutgoingPacket Ack(string nsp, long ackId, ReadOnlySpan<object?> args) =>
        Ack(nsp, ackId, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)));

    internal static OutgoingPacket Ack<TArgs>(string nsp, long ackId, scoped TArgs args)
        where TArgs : IPayloadArguments, allows ref struct
    {
        var (json, attachments) = SocketPayload.Serialize(null, args);
        return Create(attachments.Count > 0 ? SocketPacketType.BinaryAck : SocketPacketType.Ack, nsp, ackId, json, attachments);
    }

    /// <summary>Any packet from an already-serialized JSON payload (CONNECT reply, CONNECT_ERROR, DISCONNECT).</summary>
    public static OutgoingPacket Create(SocketPacketType type, string nsp, long? ackId, ReadOnlySpan<byte> json,
        IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null) =>
        new(type, nsp, ackId, json, attachments);

    /// <summary>An event rebuilt from its data (another node's broadcast, a recovery store's packet), keeping its offset.</summary>
    internal static OutgoingPacket FromData(SocketPacketType type, string nsp, ReadOnlySpan<byte> json,
        IReadOnlyList<ReadOnlyMemory<byte>> attachments, string? offset) =>
        new(type, nsp, null, json, attachments, offset);

    /// <summary>
    /// This stored event with <paramref name="offset"/> as its last argument instead of <see cref="Offset"/>, or
    /// with no offset at all when null (an adapter whose store names its own offsets: a stream's entry ids).
    /// </summary>
    internal OutgoingPacket WithOffset(string? offset)
    {
        if (Offset is null)
        {
            throw new InvalidOperationException("only a stored event has an offset to replace");
        }
        var text = _frames[0].Frame.Span;
        var json = text[(text.Length - _jsonLength)..];
        // The old offset is the last element: ,"<offset>"] (its alphabet needs no escaping), after the event name.
        var head = json[..(json.Length - Offset.Length - 4)];
        byte[] replaced = offset is null
            ? [.. head, (byte)']']
            : [.. head, (byte)',', .. System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(offset, SocketIOJsonContext.Payload.String), (byte)']'];
        var attachments = new ReadOnlyMemory<byte>[_frames.Length - 1];
        for (var i = 1; i < _frames.Length; i++)
        {
            attachments[i - 1] = _frames[i].Frame;
        }
        return new OutgoingPacket(_type, _nsp, _ackId, replaced, attachments, offset);
    }

    private static EnginePacket[] Encode(SocketPacketType type, string nsp, long? ackId, ReadOnlySpan<byte> json,
        IReadOnlyList<ReadOnlyMemory<byte>>? attachments)
    {
        var count = attachments?.Count ?? 0;
        var frames = new EnginePacket[1 + count];
        frames[0] = EnginePacket.Message(SocketPacketCodec.Encode(type, nsp, ackId, json, count));
        for (var i = 0; i < count; i++)
        {
            frames[i + 1] = EnginePacket.Binary(attachments![i]);
        }
        return frames;
    }
}
