using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// The library's own JSON — CONNECT replies, refusals, ack error shapes, handshake dictionaries, socket data
/// values of JSON types — through source-generated metadata, so none of it needs reflection (trimming, NativeAOT).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConnectReply))]
[JsonSerializable(typeof(AckError))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
internal sealed partial class SocketIOJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context bound to the payload options (relaxed escaping as JavaScript's JSON.stringify, strict numbers):
    /// attributes cannot set an encoder.
    /// </summary>
    public static SocketIOJsonContext Payload { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>
    /// What <see cref="SocketPayload.DefaultOptions"/> resolves types with: this context first, then reflection
    /// where the app allows it. As ASP.NET Core's JSON options, the reflection resolver is reached only when the
    /// <c>System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault</c> feature switch is on; trimmed and
    /// NativeAOT apps turn it off, so the branch (and the reflection) is removed from them.
    /// </summary>
    // Made on first use, not by a static initializer: the generated half of this class sets Default in its own
    // initializer, and C# does not order initializers across partial files (NativeAOT ran ours first: null).
    public static IJsonTypeInfoResolver DefaultResolver => s_defaultResolver ??= CreateDefaultResolver();

    private static IJsonTypeInfoResolver? s_defaultResolver;

    private static IJsonTypeInfoResolver CreateDefaultResolver()
    {
        IJsonTypeInfoResolver own = Default;
        return JsonSerializer.IsReflectionEnabledByDefault ? JsonTypeInfoResolver.Combine(own, CreateReflectionResolver()) : own;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only called when JsonSerializer.IsReflectionEnabledByDefault (a feature switch that trimmed apps set to false).")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only called when JsonSerializer.IsReflectionEnabledByDefault (false in NativeAOT apps).")]
    private static DefaultJsonTypeInfoResolver CreateReflectionResolver() => new();
}

/// <summary>The CONNECT reply of protocol v5: <c>{"sid":…}</c>, with <c>"pid"</c> when recovery is on.</summary>
internal sealed record ConnectReply(string Sid, string? Pid);

/// <summary>
/// The ack the library answers for a client when no handler does: <c>{"ok":false,"error":{"code":…,"message":…}}</c>
/// (invalid payload, rate limited, limit exceeded, shutting down).
/// </summary>
internal sealed record AckError(AckErrorDetail Error)
{
    /// <summary>Always false: the shape the app's own acks use for a refusal.</summary>
    [JsonPropertyOrder(-1)]
    public bool Ok => false;
}

/// <summary>Why an event was refused.</summary>
internal sealed record AckErrorDetail(string Code, string Message);
