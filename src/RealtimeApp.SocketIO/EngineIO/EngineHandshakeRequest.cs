using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// A copy of what the layer above needs from the request that opened a session (headers, query,
/// address, URL, time). The HttpContext itself is never kept: it would pin the request's memory for
/// the session's whole life (a known Node memory complaint). The copy is the request's own strings in
/// one array; the dictionaries are built the first time they are read (most sessions never read them,
/// and every polling handshake pays for what it keeps).
/// </summary>
public sealed class EngineHandshakeRequest
{
    private readonly KeyValuePair<string, string>[]? _rawHeaders;
    private readonly string? _rawQuery;
    private IReadOnlyDictionary<string, string>? _headers;
    private IReadOnlyDictionary<string, string>? _query;
    private readonly System.Net.IPAddress? _remoteIp;
    private string? _remoteAddress;

    /// <summary>A handshake from already-built dictionaries (tests, custom transports).</summary>
    public EngineHandshakeRequest(IReadOnlyDictionary<string, string> headers, IReadOnlyDictionary<string, string> query,
        string? remoteAddress, string url, bool isSecure, DateTimeOffset time)
        : this(null, url, isSecure, time)
    {
        _headers = headers;
        _query = query;
        _remoteAddress = remoteAddress;
    }

    private EngineHandshakeRequest(System.Net.IPAddress? remoteIp, string url, bool isSecure, DateTimeOffset time,
        KeyValuePair<string, string>[]? rawHeaders = null, string? rawQuery = null)
    {
        _remoteIp = remoteIp;
        Url = url;
        IsSecure = isSecure;
        Time = time;
        _rawHeaders = rawHeaders;
        _rawQuery = rawQuery;
    }

    /// <summary>Request headers, lower-case names (as Node's <c>handshake.headers</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers ??= BuildHeaders(_rawHeaders!);

    /// <summary>Query parameters (a repeated one's values joined with commas).</summary>
    public IReadOnlyDictionary<string, string> Query => _query ??= BuildQuery(_rawQuery);

    /// <summary>Remote IP address.</summary>
    public string? RemoteAddress => _remoteAddress ??= _remoteIp?.ToString();

    /// <summary>Path and query as the client sent them.</summary>
    public string Url { get; }

    /// <summary>Whether the request came over TLS.</summary>
    public bool IsSecure { get; }

    /// <summary>When the session was opened.</summary>
    public DateTimeOffset Time { get; }

    internal static EngineHandshakeRequest From(HttpContext context, DateTimeOffset now)
    {
        var request = context.Request;
        var headers = new KeyValuePair<string, string>[request.Headers.Count];
        var i = 0;
        foreach (var (name, values) in request.Headers)
        {
            headers[i++] = new(name, values.ToString());
        }
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var url = string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/'
            ? $"{request.PathBase}{request.Path}{request.QueryString}"
            : rawTarget;
        return new EngineHandshakeRequest(context.Connection.RemoteIpAddress, url, request.IsHttps, now,
            headers, request.QueryString.Value);
    }

    private static Dictionary<string, string> BuildHeaders(KeyValuePair<string, string>[] raw)
    {
        var headers = new Dictionary<string, string>(raw.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in raw)
        {
            headers[name.ToLowerInvariant()] = value;
        }
        return headers;
    }

    private static Dictionary<string, string> BuildQuery(string? raw)
    {
        var parsed = QueryHelpers.ParseQuery(raw);
        var query = new Dictionary<string, string>(parsed.Count, StringComparer.Ordinal);
        foreach (var (name, values) in parsed)
        {
            query[name] = values.ToString();
        }
        return query;
    }
}
