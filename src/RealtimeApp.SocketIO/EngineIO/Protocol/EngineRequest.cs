using Microsoft.AspNetCore.Http;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// What an Engine.IO HTTP request asks for, read from its query string (engine.io-protocol v4 "Transports").
/// The one place that classifies requests; validation order lives in the request handler.
/// </summary>
/// <param name="Protocol">The <c>EIO</c> value as given (null when missing).</param>
/// <param name="Transport">The transport, or null when missing or unknown.</param>
/// <param name="Sid">The session id, or null for a handshake.</param>
/// <param name="IsWebSocketUpgrade">True when the request is a WebSocket handshake.</param>
internal sealed record EngineRequest(string? Protocol, EngineTransports? Transport, string? Sid, bool IsWebSocketUpgrade)
{
    /// <summary>Reads the Engine.IO parameters of <paramref name="context"/>.</summary>
    public static EngineRequest From(HttpContext context)
    {
        var query = context.Request.Query;
        EngineTransports? transport = query["transport"].ToString() switch
        {
            "polling" => EngineTransports.Polling,
            "websocket" => EngineTransports.WebSocket,
            _ => null,
        };
        var sid = query["sid"].ToString();
        var eio = query["EIO"].ToString();
        return new EngineRequest(
            eio.Length == 0 ? null : eio,
            transport,
            sid.Length == 0 ? null : sid,
            context.WebSockets.IsWebSocketRequest);
    }
}
