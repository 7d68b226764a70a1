using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// What an Engine.IO HTTP request asks for, read from its query string (engine.io-protocol v4 "Transports").
/// The one place that classifies requests; validation order lives in the request handler.
/// </summary>
/// <param name="Protocol">The <c>EIO</c> value as given (null when missing).</param>
/// <param name="Transport">The transport, or null when missing or unknown.</param>
/// <param name="Sid">The session id, or null for a handshake.</param>
/// <param name="IsWebSocketUpgrade">True when the request is a WebSocket handshake.</param>
internal readonly record struct EngineRequest(string? Protocol, EngineTransports? Transport, string? Sid, bool IsWebSocketUpgrade)
{
    /// <summary>Reads the Engine.IO parameters of <paramref name="context"/>.</summary>
    public static EngineRequest From(HttpContext context)
    {
        // The raw query string is walked, not Request.Query: that collection is cached on the request's
        // features, and under a WebSocket the request lives as long as the connection (~300 B each).
        string? transportName = null, sid = null, eio = null;
        foreach (var pair in new QueryStringEnumerable(context.Request.QueryString.Value))
        {
            var name = pair.EncodedName.Span;
            if (name.ContainsAny('%', '+'))
            {
                name = pair.DecodeName().Span;
            }
            if (name.SequenceEqual("transport"))
            {
                transportName = Join(transportName, pair.DecodeValue());
            }
            else if (name.SequenceEqual("sid"))
            {
                sid = Join(sid, pair.DecodeValue());
            }
            else if (name.SequenceEqual("EIO"))
            {
                eio = Join(eio, pair.DecodeValue());
            }
        }
        EngineTransports? transport = transportName switch
        {
            "polling" => EngineTransports.Polling,
            "websocket" => EngineTransports.WebSocket,
            _ => null,
        };
        return new EngineRequest(
            string.IsNullOrEmpty(eio) ? null : eio,
            transport,
            string.IsNullOrEmpty(sid) ? null : sid,
            context.WebSockets.IsWebSocketRequest);
    }

    // A repeated parameter reads as its values joined with commas, as Request.Query's string form does.
    private static string Join(string? earlier, ReadOnlyMemory<char> value) =>
        earlier is null ? Known(value.Span) ?? value.ToString() : $"{earlier},{value}";

    // The values nearly every request carries come back as literals, so reading them allocates nothing.
    private static string? Known(ReadOnlySpan<char> value) => value switch
    {
        "4" => "4",
        "3" => "3",
        "polling" => "polling",
        "websocket" => "websocket",
        _ => null,
    };
}
