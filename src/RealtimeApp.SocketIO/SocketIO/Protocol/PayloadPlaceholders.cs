using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RealtimeApp.SocketIO.Protocol;

// Binary values (byte[], ReadOnlyMemory<byte>, Memory<byte>) anywhere in an argument are written as
// {"_placeholder":true,"num":n} and collected as attachments: converters put first in a copy of the caller's
// options. The copies are made once per options (and per JsonTypeInfo) and cached, so a packet costs a table
// lookup, as the options' own metadata cache does.
internal static partial class SocketPayload
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> OptionsWithPlaceholders = new();
    private static readonly ConditionalWeakTable<JsonTypeInfo, JsonTypeInfo> TypeInfosWithPlaceholders = new();

    internal static JsonSerializerOptions WithPlaceholders(JsonSerializerOptions options) =>
        options.Converters.Count > 0 && options.Converters[0] is MemoryPlaceholder
            ? options
            : OptionsWithPlaceholders.GetValue(options, CreatePlaceholderOptions);

    internal static JsonTypeInfo<T> WithPlaceholders<T>(JsonTypeInfo<T> typeInfo) =>
        TypeInfosWithPlaceholders.TryGetValue(typeInfo, out var cached)
            ? (JsonTypeInfo<T>)cached
            : (JsonTypeInfo<T>)TypeInfosWithPlaceholders.GetValue(typeInfo,
                static info => WithPlaceholders(info.Options).GetTypeInfo(info.Type));

    private static JsonSerializerOptions CreatePlaceholderOptions(JsonSerializerOptions options)
    {
        // The copy keeps the caller's resolver (a JsonSerializerContext resolves with any options, and its
        // generated metadata asks the options' converters first), so the placeholders apply to nested values too.
        var copy = new JsonSerializerOptions(options);
        copy.TypeInfoResolver ??= SocketIOJsonContext.DefaultResolver;
        copy.Converters.Insert(0, new ByteArrayPlaceholder());
        copy.Converters.Insert(0, new ReadOnlyMemoryPlaceholder());
        copy.Converters.Insert(0, new MemoryPlaceholder());
        copy.MakeReadOnly();
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
