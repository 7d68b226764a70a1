using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// Turns emit arguments into the JSON array of an EVENT or ACK with System.Text.Json. Binary values —
/// <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>Memory&lt;byte&gt;</c> — anywhere in the object graph
/// become placeholders and are returned as attachments, so the caller picks BINARY_EVENT / BINARY_ACK.
/// Strings are escaped as little as System.Text.Json allows: "€" and every other character of the Basic
/// Multilingual Plane stay as they are, as with JavaScript's JSON.stringify; characters outside it (emoji)
/// are written as \u surrogate pairs, which JSON.parse reads back to the same string.
/// </summary>
internal static class SocketPayload
{
    /// <summary>
    /// camelCase, relaxed escaping: what JavaScript peers expect. Numbers are strict: the web defaults
    /// would read <c>"10"</c> as 10, and a handler binding a typed payload must see a wrongly typed field
    /// as invalid, not have it quietly converted.
    /// </summary>
    public static JsonSerializerOptions DefaultOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> WithPlaceholders = new();

    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_attachments;

    /// <summary>
    /// Serializes <c>[eventName, ...args]</c> (or <c>[...args]</c> when <paramref name="eventName"/> is null).
    /// </summary>
    public static (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) Serialize(
        string? eventName, ReadOnlySpan<object?> args, JsonSerializerOptions? options = null)
    {
        var serializerOptions = WithPlaceholders.GetValue(options ?? DefaultOptions, CreatePlaceholderOptions);
        var attachments = new List<ReadOnlyMemory<byte>>();
        var previous = t_attachments;
        t_attachments = attachments;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = serializerOptions.Encoder }))
            {
                writer.WriteStartArray();
                if (eventName is not null)
                {
                    writer.WriteStringValue(eventName);
                }
                foreach (var arg in args)
                {
                    JsonSerializer.Serialize(writer, arg, arg?.GetType() ?? typeof(object), serializerOptions);
                }
                writer.WriteEndArray();
            }
            return (buffer.WrittenSpan.ToArray(), attachments);
        }
        finally
        {
            t_attachments = previous;
        }
    }

    /// <summary>
    /// Puts received attachments back where their placeholders are: a JSON tree whose binary leaves are
    /// <c>byte[]</c> values (so emitting it again sends them as attachments again).
    /// </summary>
    public static JsonNode? Rehydrate(JsonElement value, IReadOnlyList<ReadOnlyMemory<byte>> attachments) =>
        Rehydrate(value, attachments, new byte[]?[attachments.Count]);

    /// <summary>
    /// <see cref="Rehydrate(JsonElement, IReadOnlyList{ReadOnlyMemory{byte}})"/> copying each attachment at most once
    /// into <paramref name="copies"/>: a packet may name the same attachment from any number of placeholders, and a
    /// copy per placeholder made allocation grow with the square of the packet's size (a 188 KB packet cost
    /// 270 MB; found by the fuzz harness's allocation bound). Placeholders of one attachment share its array.
    /// </summary>
    internal static JsonNode? Rehydrate(JsonElement value, IReadOnlyList<ReadOnlyMemory<byte>> attachments, byte[]?[] copies)
    {
        if (BinaryPlaceholders.TryGetIndex(value, out var num) && num >= 0 && num < attachments.Count)
        {
            return JsonValue.Create(copies[num] ??= attachments[num].ToArray());
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in value.EnumerateArray())
                {
                    array.Add(Rehydrate(item, attachments, copies));
                }
                return array;
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in value.EnumerateObject())
                {
                    obj[property.Name] = Rehydrate(property.Value, attachments, copies);
                }
                return obj;
            default:
                return JsonValue.Create(value);
        }
    }

    private static JsonSerializerOptions CreatePlaceholderOptions(JsonSerializerOptions options)
    {
        var copy = new JsonSerializerOptions(options);
        copy.Converters.Insert(0, new ByteArrayPlaceholder());
        copy.Converters.Insert(0, new ReadOnlyMemoryPlaceholder());
        copy.Converters.Insert(0, new MemoryPlaceholder());
        copy.MakeReadOnly(populateMissingResolver: true);
        return copy;
    }

    private static void WritePlaceholder(Utf8JsonWriter writer, ReadOnlyMemory<byte> data)
    {
        var attachments = t_attachments ?? throw new InvalidOperationException("binary outside SocketPayload.Serialize");
        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder"u8, true);
        writer.WriteNumber("num"u8, attachments.Count);
        writer.WriteEndObject();
        attachments.Add(data);
    }

    private sealed class ByteArrayPlaceholder : JsonConverter<byte[]>
    {
        public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetBytesFromBase64();

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
            WritePlaceholder(writer, value);
    }

    private sealed class ReadOnlyMemoryPlaceholder : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetBytesFromBase64();

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) =>
            WritePlaceholder(writer, value);
    }

    private sealed class MemoryPlaceholder : JsonConverter<Memory<byte>>
    {
        public override Memory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetBytesFromBase64();

        public override void Write(Utf8JsonWriter writer, Memory<byte> value, JsonSerializerOptions options) =>
            WritePlaceholder(writer, value);
    }
}
