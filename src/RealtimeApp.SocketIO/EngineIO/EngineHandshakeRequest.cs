using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
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
    private ClaimsPrincipal? _user;

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

    /// <summary>
    /// The user of the opening request, as the app's authentication middleware left it in
    /// <c>HttpContext.User</c>; an anonymous principal (no authenticated identity) when nobody signed in.
    /// Later requests of the session cannot change it (<see cref="EngineServer"/> refuses another user's).
    /// </summary>
    public ClaimsPrincipal User
    {
        get => _user ??= new ClaimsPrincipal(new ClaimsIdentity());
        init => _user = value;
    }

    /// <summary>Whether <see cref="User"/> is a signed-in user (asked without building the anonymous principal).</summary>
    internal bool IsSignedIn => _user?.Identity?.IsAuthenticated == true;

    /// <summary>
    /// When the authentication of <see cref="User"/> ends (the cookie's or token's <c>ExpiresUtc</c>, from the
    /// request's <c>IAuthenticateResultFeature</c>); null when unknown or anonymous.
    /// </summary>
    public DateTimeOffset? AuthenticationExpiresAt { get; init; }

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
        var user = UserOf(context);
        var signedIn = user?.Identity?.IsAuthenticated == true;
        return new EngineHandshakeRequest(context.Connection.RemoteIpAddress, url, request.IsHttps, now,
            headers, request.QueryString.Value)
        {
            // Anonymous sessions keep nothing (the principal is made when first read): most board watchers are anonymous.
            _user = signedIn ? user : null,
            AuthenticationExpiresAt = signedIn
                ? context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc
                : null,
        };
    }

    /// <summary>
    /// Whether a later request of this session may act for it: one that carries no authenticated user (a poll
    /// without credentials) may; one that carries a user must carry this session's user (same identifier), so a
    /// stolen or shared sid cannot be ridden by another account.
    /// </summary>
    internal bool Admits(ClaimsPrincipal? requestUser)
    {
        if (requestUser?.Identity?.IsAuthenticated != true)
        {
            return true;
        }
        return _user is { } sessionUser && UserKey(sessionUser) is { } key && key == UserKey(requestUser);
    }

    /// <summary>
    /// The request's user as authentication left it, or null when no authentication ran. Not
    /// <c>HttpContext.User</c>: its getter builds and stores an anonymous principal (~0.5 KB) on a request that,
    /// under a WebSocket, lives as long as the connection.
    /// </summary>
    internal static ClaimsPrincipal? UserOf(HttpContext context) =>
        context.Features.Get<IHttpAuthenticationFeature>()?.User;

    // The identifier ASP.NET Core's own stores put in NameIdentifier (SignalR's default user id), else the name.
    private static string? UserKey(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity?.Name;

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
