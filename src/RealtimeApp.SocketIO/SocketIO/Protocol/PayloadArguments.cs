using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// The arguments of one outgoing EVENT or ACK, written between the event name and the recovery offset.
/// Structs (ref structs where they hold a span), so choosing how to write costs no allocation per packet.
/// </summary>
internal interface IPayloadArguments
{
    /// <summary>Writes the arguments; binary values go to <paramref name="attachments"/> (placeholders in the JSON).</summary>
    void WriteTo(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> attachments);
}

/// <summary>No arguments (<c>Emit("ping")</c>).</summary>
internal readonly struct NoArguments : IPayloadArguments
{
    public void WriteTo(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> attachments)
    {
    }
}

/// <summary>
/// Arguments of any types, each resolved by its runtime type through <paramref name="options"/> (which
/// carry the placeholder converters). JSON values resolve from the library's own context; anything else
/// needs the options' resolver to know the type (reflection, or the app's context in the chain).
/// </summary>
internal readonly ref struct ObjectArguments(ReadOnlySpan<object?> args, JsonSerializerOptions options) : IPayloadArguments
{
    private readonly ReadOnlySpan<object?> _args = args;

    public void WriteTo(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> attachments)
    {
        foreach (var arg in _args)
        {
            switch (arg)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case JsonElement element:
                    element.WriteTo(writer);
                    break;
                case JsonNode node:
                    // A node's runtime type (JsonObject, an internal JsonValue<T>) is not one to resolve: JsonNode's
                    // own metadata writes any of them, binary leaves through the options' placeholder converters.
                    JsonSerializer.Serialize(writer, node, (JsonTypeInfo<JsonNode>)options.GetTypeInfo(typeof(JsonNode)));
                    break;
                default:
                    JsonSerializer.Serialize(writer, arg, options.GetTypeInfo(arg.GetType()));
                    break;
            }
        }
    }
}

/// <summary>One argument with its (source-generated) metadata: no reflection, no boxing.</summary>
internal readonly struct TypedArgument<T>(T value, JsonTypeInfo<T> typeInfo) : IPayloadArguments
{
    public void WriteTo(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> attachments) =>
        JsonSerializer.Serialize(writer, value, SocketPayload.WithPlaceholders(typeInfo));
}

/// <summary>
/// Arguments as a client sent them, forwarded unchanged: the JSON as received and the packet's attachments in
/// their order, so the placeholders still point at the right ones. No deserialization, no copies of binary.
/// </summary>
internal readonly struct ReceivedArguments(SocketArguments args) : IPayloadArguments
{
    public void WriteTo(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> attachments)
    {
        attachments.AddRange(args.Attachments);
        for (var i = 0; i < args.Count; i++)
        {
            args[i].WriteTo(writer);
        }
    }
}
