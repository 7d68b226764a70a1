using Microsoft.AspNetCore.Http;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// A copy of what the layer above needs from the request that opened a session (headers, query,
/// address, URL, time). The HttpContext itself is never kept: it would pin the request's memory for
/// the session's whole life (a known Node memory complaint).
/// </summary>
public sealed record EngineHandshakeRequest(
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    string? RemoteAddress,
    string Url,
    bool IsSecure,
    DateTimeOffset Time)
{
    internal static EngineHandshakeRequest From(HttpContext context, DateTimeOffset now)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = values.ToString();
        }
        var query = new Dictionary<string, string>(request.Query.Count, StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            query[name] = values.ToString();
        }
        return new EngineHandshakeRequest(headers, query,
            context.Connection.RemoteIpAddress?.ToString(),
            $"{request.PathBase}{request.Path}{request.QueryString}",
            request.IsHttps,
            now);
    }
}
