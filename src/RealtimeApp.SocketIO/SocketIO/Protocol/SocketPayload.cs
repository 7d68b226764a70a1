using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// Turns emit arguments into the JSON array of an EVENT or ACK with System.Text.Json. Binary values —
/// <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>Memory&lt;byte&gt;</c> — anywhere in the object graph
/// become placeholders and are returned as attachments, so the caller picks BINARY_EVENT / BINARY_ACK.
/// Strings are escaped as little as System.Text.Json allows: "€" and every other character of the Basic
/// Multilingual Plane stay as they are, as with JavaScript's JSON.stringify; characters outside it (emoji)
/// are written as \u surrogate pairs, which JSON.parse reads back to the same string.
/// Every value goes through a <see cref="JsonTypeInfo"/>: the caller's (source-generated, trim- and AOT-safe)
/// or one <see cref="DefaultOptions"/> resolves for a value's runtime type (reflection where the app allows it).
/// </summary>
internal static partial class SocketPayload
{
    /// <summary>
    /// camelCase, relaxed escaping: what JavaScript peers expect. Numbers are strict: the web defaults
    /// would read <c>"10"</c> as 10, and a handler binding a typed payload must see a wrongly typed field
    /// as invalid, not have it quietly converted. Types resolve through the library's source-generated context
    /// (JSON types, strings, numbers, byte arrays), then reflection where the app has it (not in NativeAOT).
    /// </summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_attachments;

    /// <summary>
    /// Serializes <c>[eventName, ...args]</c> (or <c>[...args]</c> when <paramref name="eventName"/> is null),
    /// each argument as its runtime type.
    /// </summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) Serialize(
        string? eventName, ReadOnlySpan<object?> args, JsonSerializerOptions? options = null) =>
        Serialize(eventName, new ObjectArguments(args, WithPlaceholders(options ?? DefaultOptions)));

    /// <summary>Serializes <c>[eventName, arg]</c> (or <c>[arg]</c>) with source-generated metadata.</summary>
    public static (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) Serialize<T>(
        string? eventName, T arg, JsonTypeInfo<T> typeInfo) =>
        Serialize(eventName, new TypedArgument<T>(arg, typeInfo));

    /// <summary>
    /// The one way every payload is written: the array, the event name, the arguments (binary values become
    /// placeholders and attachments), then the recovery offset when there is one.
    /// </summary>
    internal static (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) Serialize<TArgs>(
        string? eventName, scoped TArgs args, string? offset = null)
        where TArgs : IPayloadArguments, allows ref struct
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        var previous = t_attachments;
        t_attachments = attachments;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartArray();
                if (eventName is not null)
                {
                    writer.WriteStringValue(eventName);
                }
                args.WriteTo(writer, attachments);
                if (offset is not null)
                {
                    writer.WriteStringValue(offset);
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
            return JsonValue.Create(copies[num] ??= attachments[num].ToArray(), SocketIOJsonContext.Default.ByteArray);
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

    internal const string ReflectionMessage =
        "Arguments are serialized as their runtime types, which may need reflection (trimmed away, or unavailable in NativeAOT). "
        + "Use the overload taking a JsonTypeInfo<T> from a JsonSerializerContext, or pass JsonElement / JsonNode / SocketArguments values.";

    private static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = SocketIOJsonContext.DefaultResolver,
        };
        options.MakeReadOnly();
        return options;
    }
}
