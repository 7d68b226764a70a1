using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Parsers;
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
    /// <summary>Socket.IO's EVENT: the type Node's adapter gives every broadcast packet, binary or not.</summary>
    private const int EventPacketType = 2;

    /// <summary>As the library writes event arguments (camelCase peers expect unescaped text).</summary>
    private static readonly JavaScriptEncoder JsonEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Encodes a local broadcast for the other nodes.</summary>
    public static byte[] Encode(string uid, string nsp, EncodedPacket packet, BroadcastOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(uid);
        WritePacket(ref writer, nsp, packet.Data);
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
    public EncodedPacket ToPacket() => EncodedPacket.Event(Namespace, new PacketData(Json, Attachments));

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

    /// <summary>Writes a packet map <c>{type: 2, data: [event, ...args], nsp}</c> for the event <paramref name="data"/>.</summary>
    internal static void WritePacket(ref MessagePackWriter writer, string nsp, PacketData data)
    {
        using var json = JsonDocument.Parse(data.Json);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write(EventPacketType);
        writer.Write("data");
        MsgPackJson.WriteValue(ref writer, json.RootElement, data.Attachments);
        writer.Write("nsp");
        writer.Write(nsp);
    }

    internal static byte[] ReadJson(ref MessagePackReader reader, List<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonEncoder }))
        {
            if (MsgPackJson.ReadJson(ref reader, json, attachments) is not SocketDecodeError.None and var error)
            {
                throw new MessagePackSerializationException($"unreadable packet data: {error}");
            }
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
