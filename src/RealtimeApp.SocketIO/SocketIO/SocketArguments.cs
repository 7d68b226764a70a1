using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// Arguments as a client sent them — of an event (after its name) or of an ack: the JSON as received,
/// with binary values available as bytes (in the JSON they are placeholder objects).
/// </summary>
public sealed class SocketArguments : IReadOnlyList<JsonElement>
{
    private readonly SocketPacket _packet;
    private readonly int _offset;

    /// <summary>The arguments of <paramref name="packet"/>'s JSON array from index <paramref name="offset"/> on.</summary>
    internal SocketArguments(SocketPacket packet, int offset = 0)
    {
        _packet = packet;
        _offset = offset;
    }

    /// <summary>
    /// Arguments made of JSON values, e.g. for a <see cref="SocketContext.Use"/> middleware that rewrites an
    /// event's <see cref="SocketEvent.Arguments"/> (no binary: to keep attachments, keep the received arguments).
    /// </summary>
    public static SocketArguments FromJson(params JsonElement[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var argument in arguments)
            {
                argument.WriteTo(writer);
            }
            writer.WriteEndArray();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new SocketArguments(new SocketPacket { Type = SocketPacketType.Event, Namespace = "/", Data = document.RootElement.Clone() });
    }

    /// <summary>Number of arguments.</summary>
    public int Count => _packet.Data!.Value.GetArrayLength() - _offset;

    /// <summary>Argument <paramref name="index"/> as received (a binary one is its placeholder object).</summary>
    public JsonElement this[int index] => _packet.Data!.Value[index + _offset];

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments => _packet.Attachments;

    /// <summary>The bytes of argument <paramref name="index"/>, or null when it is not binary.</summary>
    public ReadOnlyMemory<byte>? GetBytes(int index) => GetBytes(this[index]);

    /// <summary>
    /// The bytes of a binary value found anywhere inside the arguments, e.g.
    /// <c>args.GetBytes(args[0].GetProperty("file"))</c> for <c>socket.emit("upload", { file: buffer })</c>; null
    /// when <paramref name="value"/> is not binary. (To bind a whole object with its bytes, use
    /// <c>Get&lt;T&gt;</c> with a <c>byte[]</c> property.)
    /// </summary>
    public ReadOnlyMemory<byte>? GetBytes(JsonElement value) =>
        // The cast matters: a bare null would convert through byte[] into an empty (not null) memory.
        BinaryPlaceholders.TryGetIndex(value, out var num) && num >= 0 && num < Attachments.Count
            ? Attachments[num]
            : (ReadOnlyMemory<byte>?)null;

    /// <summary>
    /// Argument <paramref name="index"/> deserialized with <paramref name="typeInfo"/> (from the app's
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>: trim- and NativeAOT-safe). A <c>byte[]</c>
    /// (or <c>ReadOnlyMemory&lt;byte&gt;</c>) anywhere in <typeparamref name="T"/> binds the bytes of the attachment
    /// the client sent there.
    /// </summary>
    /// <exception cref="JsonException">The argument is missing or does not fit <typeparamref name="T"/>.</exception>
    public T? Get<T>(int index, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if ((uint)index >= (uint)Count)
        {
            throw new JsonException($"there is no argument {index}");
        }
        var value = this[index];
        // Binary arguments are placeholder objects in the JSON: put their bytes back (as base64 leaves, which
        // System.Text.Json reads into byte[]) before binding. Text-only packets skip this and read the JSON as is.
        return Attachments.Count > 0 && BinaryPlaceholders.Contains(value)
            ? SocketPayload.Rehydrate(value, Attachments).Deserialize(typeInfo)
            : value.Deserialize(typeInfo);
    }

    /// <summary>
    /// Argument <paramref name="index"/> deserialized as <typeparamref name="T"/> (camelCase JSON), with metadata
    /// made by reflection. In trimmed or NativeAOT apps use <see cref="Get{T}(int, JsonTypeInfo{T})"/>.
    /// </summary>
    /// <exception cref="JsonException">The argument is missing or does not fit <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public T? Get<T>(int index = 0) => Get(index, (JsonTypeInfo<T>)SocketPayload.DefaultOptions.GetTypeInfo(typeof(T)));

    internal const string ReflectionMessage =
        "Binding T by reflection may need members the trimmer removed, or code NativeAOT cannot make. "
        + "Use Get<T>(index, JsonTypeInfo<T>) with a JsonSerializerContext.";

    /// <summary>
    /// The arguments ready to be emitted again unchanged: JSON as received, binary as <c>byte[]</c> (so an
    /// echo carries the same attachments).
    /// </summary>
    public object?[] ToArray()
    {
        var result = new object?[Count];
        var copies = new byte[]?[Attachments.Count]; // each attachment copied once for all the arguments
        for (var i = 0; i < result.Length; i++)
        {
            if (Attachments.Count == 0)
            {
                result[i] = this[i];
                continue;
            }
            var node = SocketPayload.Rehydrate(this[i], Attachments, copies);
            result[i] = node is JsonValue value && value.TryGetValue(out byte[]? bytes) ? bytes : node;
        }
        return result;
    }

    /// <inheritdoc />
    public IEnumerator<JsonElement> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
