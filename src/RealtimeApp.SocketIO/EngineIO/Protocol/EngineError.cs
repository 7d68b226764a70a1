using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>The protocol's request error codes (engine.io server "Server.errors"), 0-5.</summary>
internal enum EngineErrorCode
{
    /// <summary>"Transport unknown": the <c>transport</c> query value is missing or not enabled.</summary>
    UnknownTransport = 0,
    /// <summary>"Session ID unknown": no session with that <c>sid</c> (never existed, or closed).</summary>
    UnknownSid = 1,
    /// <summary>"Bad handshake method": a handshake (no sid) that is not a GET.</summary>
    BadHandshakeMethod = 2,
    /// <summary>"Bad request": e.g. a transport that does not match the session's.</summary>
    BadRequest = 3,
    /// <summary>"Forbidden": refused by the <c>AllowRequest</c> hook.</summary>
    Forbidden = 4,
    /// <summary>"Unsupported protocol version": <c>EIO</c> is not a supported revision.</summary>
    UnsupportedProtocolVersion = 5,
}

/// <summary>Writes request errors exactly as the Node server does: <c>{"code":N,"message":"..."}</c>.</summary>
internal static class EngineError
{
    /// <summary>The protocol's message for <paramref name="code"/>.</summary>
    public static string DefaultMessage(EngineErrorCode code) => code switch
    {
        EngineErrorCode.UnknownTransport => "Transport unknown",
        EngineErrorCode.UnknownSid => "Session ID unknown",
        EngineErrorCode.BadHandshakeMethod => "Bad handshake method",
        EngineErrorCode.BadRequest => "Bad request",
        EngineErrorCode.Forbidden => "Forbidden",
        EngineErrorCode.UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => "Bad request",
    };

    /// <summary>
    /// Writes the error response: 403 for <see cref="EngineErrorCode.Forbidden"/> on HTTP requests,
    /// 400 for everything else (and for every WebSocket upgrade request, as Node does), unless
    /// <paramref name="statusCode"/> says otherwise (the server's own limits: 429, 503).
    /// </summary>
    public static async Task WriteAsync(HttpContext context, EngineErrorCode code, string? message = null, int? statusCode = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode ?? (code == EngineErrorCode.Forbidden && !context.WebSockets.IsWebSocketRequest
            ? StatusCodes.Status403Forbidden
            : StatusCodes.Status400BadRequest);
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteNumber("code"u8, (int)code);
        json.WriteString("message"u8, message ?? DefaultMessage(code));
        json.WriteEndObject();
    }
}
