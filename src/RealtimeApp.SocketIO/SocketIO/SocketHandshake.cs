using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

/// <summary>
/// What a socket knows about how it connected (Node's <c>socket.handshake</c>): the engine's first
/// request (headers, query, address, URL, time) and this namespace's CONNECT auth payload.
/// </summary>
public sealed class SocketHandshake(EngineHandshakeRequest request, JsonElement auth)
{
    /// <summary>Headers of the first HTTP request, lower-case names.</summary>
    public IReadOnlyDictionary<string, string> Headers => request.Headers;

    /// <summary>Query of the first HTTP request (includes <c>EIO</c>, <c>transport</c>, <c>t</c>).</summary>
    public IReadOnlyDictionary<string, string> Query => request.Query;

    /// <summary>Remote IP address.</summary>
    public string? Address => request.RemoteAddress;

    /// <summary>Path and query of the first request.</summary>
    public string Url => request.Url;

    /// <summary>When the engine connection was created.</summary>
    public DateTimeOffset Time => request.Time;

    /// <summary>Whether the connection came over TLS.</summary>
    public bool Secure => request.IsSecure;

    /// <summary>
    /// The signed-in user of the engine handshake request (<c>HttpContext.User</c> after the app's
    /// authentication middleware), as SignalR's <c>Context.User</c>; anonymous when nobody signed in. It is
    /// the transport's user, never something the client sends in <see cref="Auth"/>. Not serialized by
    /// <see cref="ToJson"/> (a cluster peer sees <c>handshake</c> as Node's, without it).
    /// </summary>
    public System.Security.Claims.ClaimsPrincipal User => request.User;

    internal bool IsSignedIn => request.IsSignedIn;

    /// <summary>When the user's authentication (cookie or token) expires; null when unknown or anonymous.</summary>
    public DateTimeOffset? AuthenticationExpiresAt => request.AuthenticationExpiresAt;

    /// <summary>The CONNECT payload (<c>{}</c> when the client sent none).</summary>
    public JsonElement Auth => auth;

    /// <summary>
    /// The handshake as Node's <c>socket.handshake</c> serializes (what a cluster's <c>fetchSockets</c> carries):
    /// <c>headers, time, address, xdomain, secure, issued, url, query, auth</c>.
    /// </summary>
    public JsonElement ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Protocol.SocketPayload.DefaultOptions.Encoder }))
        {
            WriteTo(json);
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    /// <inheritdoc cref="ToJson"/>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WritePropertyName("headers"u8);
        JsonSerializer.Serialize(json, Headers, Protocol.SocketIOJsonContext.Payload.IReadOnlyDictionaryStringString);
        // Node's `new Date().toString()`, e.g. "Wed Nov 25 2026 02:55:00 GMT+0000 (Coordinated Universal Time)".
        json.WriteString("time"u8, Time.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'",
            System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("address"u8, Address);
        json.WriteBoolean("xdomain"u8, Headers.ContainsKey("origin"));
        json.WriteBoolean("secure"u8, Secure);
        json.WriteNumber("issued"u8, Time.ToUnixTimeMilliseconds());
        json.WriteString("url"u8, Url);
        json.WritePropertyName("query"u8);
        JsonSerializer.Serialize(json, Query, Protocol.SocketIOJsonContext.Payload.IReadOnlyDictionaryStringString);
        json.WritePropertyName("auth"u8);
        Auth.WriteTo(json);
        json.WriteEndObject();
    }
}
