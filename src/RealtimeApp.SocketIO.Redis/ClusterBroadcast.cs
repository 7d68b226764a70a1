using System.Buffers;
using System.Text;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// A broadcast as @socket.io/redis-adapter publishes it on <c>{key}#{nsp}#</c> (or <c>{key}#{nsp}#{room}#</c>):
/// msgpack <c>[uid, {type: 2, data: [event, ...args], nsp}, {rooms: [...], except: [...], flags: {...}}]</c>,
/// binary arguments as <c>bin</c> (the packet type stays EVENT, as Node sends it).
/// </summary>
internal sealed record ClusterBroadcast(string Uid, string Namespace, byte[] Json, List<ReadOnlyMemory<byte>> Attachments,
    BroadcastOptions Options)
{
    /// <summary>Encodes a local broadcast for the other nodes.</summary>
    public static byte[] Encode(string uid, string nsp, OutgoingPacket packet, BroadcastOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(uid);
        WritePacket(ref writer, nsp, packet);
        WriteOptions(ref writer, options, timeout: null);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{rooms, except, flags}</c>; flags carry <c>volatile</c> and, for acks, <c>timeout</c> in ms.</summary>
    internal static void WriteOptions(ref MessagePackWriter writer, BroadcastOptions options, TimeSpan? timeout)
    {
        writer.WriteMapHeader(3);
        writer.Write("rooms");
        WriteStrings(ref writer, options.Rooms);
        writer.Write("except");
        WriteStrings(ref writer, options.Except);
        writer.Write("flags");
        writer.WriteMapHeader((options.Volatile ? 1 : 0) + (timeout is null ? 0 : 1));
        if (options.Volatile)
        {
            writer.Write("volatile");
            writer.Write(true);
        }
        if (timeout is { } ms)
        {
            writer.Write("timeout");
            writer.Write((long)ms.TotalMilliseconds);
        }
    }

    /// <summary>Decodes a published broadcast; null when it is not one (then it is ignored, as Node does).</summary>
    public static ClusterBroadcast? Decode(ReadOnlyMemory<byte> message)
    {
        try
        {
            var reader = new MessagePackReader(message);
            if (reader.ReadArrayHeader() < 2)
            {
                return null;
            }
            var uid = reader.ReadString() ?? "";
            var attachments = new List<ReadOnlyMemory<byte>>();
            var (nsp, json) = ReadPacket(ref reader, attachments);
            var options = reader.End ? new BroadcastOptions() : ReadOptions(ref reader);
            return json is null ? null : new ClusterBroadcast(uid, nsp, json, attachments, options);
        }
        catch (MessagePackSerializationException)
        {
            return null;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>The packet to hand to local sockets (BINARY_EVENT when it carries bytes).</summary>
    public OutgoingPacket ToPacket() => OutgoingPacket.Create(
        Attachments.Count > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event, Namespace, null, Json, Attachments);

    /// <summary>A packet map <c>{type, data, nsp}</c>: its namespace and its data as JSON (null without data).</summary>
    internal static (string Namespace, byte[]? Json) ReadPacket(ref MessagePackReader reader, List<ReadOnlyMemory<byte>> attachments)
    {
        var nsp = "/";
        byte[]? json = null;
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case "data":
                    json = ReadJson(ref reader, attachments);
                    break;
                case "nsp":
                    nsp = reader.ReadString() ?? "/";
                    break;
                default:
                    reader.Skip(); // type (EVENT for a broadcast), id (never across nodes)
                    break;
            }
        }
        return (nsp, json);
    }

    /// <summary>Writes a packet map <c>{type: 2, data: [event, ...args], nsp}</c> for <paramref name="packet"/>.</summary>
    internal static void WritePacket(ref MessagePackWriter writer, string nsp, OutgoingPacket packet)
    {
        var (data, attachments) = EventData(packet);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write((int)SocketPacketType.Event);
        writer.Write("data");
        MessagePackJson.Write(ref writer, data, attachments);
        writer.Write("nsp");
        writer.Write(nsp);
    }

    internal static byte[] ReadJson(ref MessagePackReader reader, List<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SocketPayload.DefaultOptions.Encoder }))
        {
            MessagePackJson.Read(ref reader, json, attachments);
        }
        return buffer.WrittenSpan.ToArray();
    }

    internal static BroadcastOptions ReadOptions(ref MessagePackReader reader)
    {
        var options = new BroadcastOptions();
        if (reader.TryReadNil())
        {
            return options;
        }
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case "rooms":
                    options = options with { Rooms = ReadStrings(ref reader) };
                    break;
                case "except":
                    options = options with { Except = ReadStrings(ref reader) };
                    break;
                case "flags" when !reader.TryReadNil():
                    var flags = reader.ReadMapHeader();
                    for (var f = 0; f < flags; f++)
                    {
                        var name = reader.ReadString();
                        var on = reader.NextMessagePackType == MessagePackType.Boolean ? reader.ReadBoolean() : SkipTruthy(ref reader);
                        if (name == "volatile" && on)
                        {
                            options = options with { Volatile = true };
                        }
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return options;
    }

    /// <summary>The event's JSON array (name and arguments) and its attachments, read back from our own encoding.</summary>
    internal static (JsonElement Data, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) EventData(OutgoingPacket packet)
    {
        var frames = packet.Frames;
        var text = frames[0].Frame.Span[1..]; // the Engine.IO message type digit, then the Socket.IO packet
        if (SocketPacketCodec.Decode(text, out var decoded, int.MaxValue) != SocketDecodeError.None)
        {
            throw new InvalidOperationException($"not an event packet: {Encoding.UTF8.GetString(text)}");
        }
        var attachments = new ReadOnlyMemory<byte>[frames.Count - 1];
        for (var i = 1; i < frames.Count; i++)
        {
            attachments[i - 1] = frames[i].Frame;
        }
        return (decoded!.Data!.Value, attachments);
    }

    private static bool SkipTruthy(ref MessagePackReader reader)
    {
        var nil = reader.NextMessagePackType == MessagePackType.Nil;
        reader.Skip();
        return !nil;
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlySet<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static HashSet<string> ReadStrings(ref MessagePackReader reader)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (reader.TryReadNil())
        {
            return set;
        }
        var count = reader.ReadArrayHeader();
        for (var i = 0; i < count; i++)
        {
            set.Add(reader.ReadString() ?? "");
        }
        return set;
    }
}
