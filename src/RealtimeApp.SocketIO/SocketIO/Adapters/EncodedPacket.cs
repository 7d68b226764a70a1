using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// An event packet encoded once for every socket it goes to (the frames of the wire protocol stay inside the
/// library): what an adapter is given to broadcast, stores for connection state recovery and hands back as
/// a missed packet. An adapter that spans nodes reads <see cref="Data"/> to publish it and makes one from a
/// peer's message with <see cref="Event"/>.
/// </summary>
public sealed class EncodedPacket
{
    internal EncodedPacket(OutgoingPacket packet) => Packet = packet;

    internal OutgoingPacket Packet { get; }

    /// <summary>
    /// The connection state recovery offset of this event (already its last argument), when the namespace
    /// asked the adapter to store it; null otherwise. Only an adapter with
    /// <see cref="ISocketIOAdapter.SupportsRecovery"/> gets packets with an offset.
    /// </summary>
    public string? Offset => Packet.Offset;

    /// <summary>
    /// The event name and arguments, as Node's adapters carry a packet's <c>data</c> between nodes. Decoded from
    /// the encoded frames on each call: read it once per broadcast, not per socket.
    /// </summary>
    public PacketData Data
    {
        get
        {
            var frames = Packet.Frames;
            var text = frames[0].Frame.Span[1..]; // the Engine.IO message type digit, then the Socket.IO packet
            if (SocketPacketCodec.Decode(text, out var decoded, int.MaxValue) != SocketDecodeError.None || decoded!.Data is null)
            {
                throw new InvalidOperationException($"not an event packet: {Encoding.UTF8.GetString(text)}");
            }
            var attachments = new ReadOnlyMemory<byte>[frames.Count - 1];
            for (var i = 1; i < frames.Count; i++)
            {
                attachments[i - 1] = frames[i].Frame;
            }
            return new PacketData(RawJson(decoded.Data.Value), attachments);
        }
    }

    /// <summary>
    /// This event with <paramref name="offset"/> as its recovery offset (its last argument) in place of the one the
    /// namespace gave it, or without any when null: for an adapter whose store names its own offsets (Node's Redis
    /// streams adapter gives each event its stream entry id), and for delivering an event it could not store.
    /// </summary>
    /// <exception cref="InvalidOperationException">The packet has no <see cref="Offset"/> (it is not stored).</exception>
    public EncodedPacket WithOffset(string? offset) => new(Packet.WithOffset(offset));

    // The element's own bytes as they came (no serializer, so nothing for the trimmer to keep).
    internal static byte[] RawJson(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? "null"u8.ToArray() : JsonMarshal.GetRawUtf8Value(element).ToArray();

    /// <summary>
    /// An EVENT to namespace <paramref name="nsp"/> (BINARY_EVENT when <paramref name="data"/> has attachments),
    /// e.g. a broadcast another node published. With <paramref name="offset"/> (a packet a recovery store kept),
    /// the offset must already be the last argument in <paramref name="data"/>, as it is in the
    /// <see cref="Data"/> of a packet that had one.
    /// </summary>
    public static EncodedPacket Event(string nsp, PacketData data, string? offset = null)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        ArgumentNullException.ThrowIfNull(data);
        var type = data.Attachments.Count > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event;
        return new EncodedPacket(OutgoingPacket.FromData(type, nsp, data.Json.Span, data.Attachments, offset));
    }
}

/// <summary>
/// A packet's <c>data</c> as it crosses nodes: a UTF-8 JSON array (<c>[event, ...args]</c> for an event, the
/// arguments for an ack) in which each binary argument is Socket.IO's placeholder
/// <c>{"_placeholder":true,"num":n}</c>, <paramref name="Attachments"/>[n] holding its bytes.
/// </summary>
/// <param name="Json">The JSON array.</param>
/// <param name="Attachments">The binary arguments the placeholders point to.</param>
public sealed record PacketData(ReadOnlyMemory<byte> Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments)
{
    /// <summary>The answer of a client, as the arguments a local ack would give (for the broadcast-with-acks collector).</summary>
    internal SocketArguments ToArguments(string nsp)
    {
        var packet = new SocketPacket
        {
            Type = Attachments.Count > 0 ? SocketPacketType.BinaryAck : SocketPacketType.Ack,
            Namespace = nsp,
            Data = JsonDocument.Parse(Json).RootElement.Clone(),
            AttachmentCount = Attachments.Count,
        };
        packet.Attachments.AddRange(Attachments);
        return new SocketArguments(packet);
    }

    /// <summary>A client's answer to an ack, as the data another node gets.</summary>
    internal static PacketData FromAnswer(SocketPacket answer) =>
        new(EncodedPacket.RawJson(answer.Data ?? default), [.. answer.Attachments]);
}
