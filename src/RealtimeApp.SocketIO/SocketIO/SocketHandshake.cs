using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.SocketIO;

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

    /// <summary>The CONNECT payload (<c>{}</c> when the client sent none).</summary>
    public JsonElement Auth => auth;
}
