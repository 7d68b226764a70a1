using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RealtimeApp.SocketIO.Adapters;

namespace RealtimeApp.SocketIO.Redis.Cluster;

[JsonSerializable(typeof(string))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;

/// <summary>
/// The <c>data</c> objects of the cluster messages, with socket.io-adapter's field names: a broadcast's
/// <c>{packet: {type: 2, data, nsp}, opts: {rooms, except, flags}, requestId?}</c>, room changes'
/// <c>{opts, rooms}</c>, disconnects' <c>{opts, close}</c>, requests' <c>requestId</c>.
/// </summary>
internal static class ClusterData
{
    /// <summary>Socket.IO's EVENT: the type Node's adapters give every broadcast packet, binary or not.</summary>
    private const int EventPacketType = 2;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Broadcast(string nsp, PacketData packet, BroadcastOptions options, string? requestId, TimeSpan? timeout) =>
        Write(json =>
        {
            json.WriteStartObject("packet"u8);
            json.WriteNumber("type"u8, EventPacketType);
            json.WritePropertyName("data"u8);
            json.WriteRawValue(packet.Json.Span, skipInputValidation: true);
            json.WriteString("nsp"u8, nsp);
            json.WriteEndObject();
            if (requestId is not null)
            {
                json.WriteString("requestId"u8, requestId);
            }
            WriteOptions(json, options, timeout);
        });

    public static byte[] RoomChange(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        Write(json =>
        {
            WriteOptions(json, options, null);
            WriteStrings(json, "rooms"u8, rooms);
        });

    public static byte[] Disconnect(BroadcastOptions options, bool close) =>
        Write(json =>
        {
            WriteOptions(json, options, null);
            json.WriteBoolean("close"u8, close);
        });

    /// <summary><c>opts</c>: rooms, except and flags (<c>volatile</c>; <c>timeout</c> in ms for a broadcast with acks).</summary>
    public static void WriteOptions(Utf8JsonWriter json, BroadcastOptions options, TimeSpan? timeout)
    {
        json.WriteStartObject("opts"u8);
        WriteStrings(json, "rooms"u8, options.Rooms);
        WriteStrings(json, "except"u8, options.Except);
        json.WriteStartObject("flags"u8);
        if (options.Volatile)
        {
            json.WriteBoolean("volatile"u8, true);
        }
        if (timeout is { } ms)
        {
            json.WriteNumber("timeout"u8, (long)ms.TotalMilliseconds);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The selection of <c>data.opts</c> (a missing one selects every socket).</summary>
    public static BroadcastOptions ReadOptions(JsonElement data)
    {
        if (!data.TryGetProperty("opts", out var opts) || opts.ValueKind != JsonValueKind.Object)
        {
            return new BroadcastOptions();
        }
        var isVolatile = opts.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Object
            && flags.TryGetProperty("volatile", out var v) && v.ValueKind == JsonValueKind.True;
        return new BroadcastOptions { Rooms = Strings(opts, "rooms"), Except = Strings(opts, "except"), Volatile = isVolatile };
    }

    /// <summary><c>data.opts.flags.timeout</c> (a broadcast with acks), if any.</summary>
    public static TimeSpan? ReadTimeout(JsonElement data) =>
        data.TryGetProperty("opts", out var opts) && opts.ValueKind == JsonValueKind.Object
        && opts.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Object
        && flags.TryGetProperty("timeout", out var timeout) && timeout.TryGetDouble(out var ms) && ms >= 0
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    /// <summary><c>data.packet.data</c> (the event and its arguments), or null when the packet has none.</summary>
    public static PacketData? PacketData(JsonElement data, IReadOnlyList<ReadOnlyMemory<byte>> attachments, string? offset = null)
    {
        if (!data.TryGetProperty("packet", out var packet) || packet.ValueKind != JsonValueKind.Object
            || !packet.TryGetProperty("data", out var arguments) || arguments.ValueKind != JsonValueKind.Array
            || arguments.GetArrayLength() == 0)
        {
            return null;
        }
        var json = JsonMarshal.GetRawUtf8Value(arguments);
        return new PacketData(offset is null ? json.ToArray() : WithLastArgument(json, offset), attachments);
    }

    /// <summary>The JSON array <paramref name="array"/> with <paramref name="value"/> appended (a recovery offset).</summary>
    public static byte[] WithLastArgument(ReadOnlySpan<byte> array, string value)
    {
        var end = array.LastIndexOf((byte)']');
        var hasElements = array[1..end].Trim(" \t\r\n"u8).Length > 0;
        var encoded = JsonSerializer.SerializeToUtf8Bytes(value, ClusterJsonContext.Default.String);
        return [.. array[..end], .. hasElements ? ","u8 : [], .. encoded, (byte)']'];
    }

    public static HashSet<string> Strings(JsonElement element, string name)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (element.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    set.Add(value.GetString()!);
                }
            }
        }
        return set;
    }

    private static void WriteStrings(Utf8JsonWriter json, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }
}
