using Microsoft.AspNetCore.Http;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// Engine.IO transports: the ones an endpoint accepts (<see cref="EngineIOOptions.Transports"/>, flags), and
/// the one a session uses now (<see cref="EngineSession.Transport"/>, a single value), as SignalR's
/// <c>HttpTransportType</c> serves both.
/// </summary>
[Flags]
public enum EngineTransports
{
    /// <summary>HTTP long-polling.</summary>
    Polling = 1,
    /// <summary>WebSocket (directly, or by upgrade from polling).</summary>
    WebSocket = 2,
    /// <summary>Both, the default.</summary>
    All = Polling | WebSocket,
}

/// <summary>
/// Options of an Engine.IO endpoint. Names and defaults follow the Node <c>engine.io</c> server options
/// (engine.io 6.x), so a configuration written for Node reads the same here.
/// </summary>
public sealed class EngineIOOptions
{
    /// <summary>How long the server waits between a pong and its next ping. Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMilliseconds(25_000);

    /// <summary>How long the server waits for a pong before closing with "ping timeout". Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromMilliseconds(20_000);

    /// <summary>How long a WebSocket may probe before the upgrade completes; only that WebSocket is closed. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromMilliseconds(10_000);

    /// <summary>
    /// Largest message (WebSocket) or POST body (polling) accepted, in bytes; advertised to clients as
    /// <c>maxPayload</c>. A larger one closes that session ("transport error", HTTP 413 on polling).
    /// Default 1,000,000 (Node's <c>maxHttpBufferSize</c>).
    /// </summary>
    public long MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>Enabled transports. Default both.</summary>
    public EngineTransports Transports { get; set; } = EngineTransports.All;

    /// <summary>Whether a polling session may upgrade to WebSocket. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>
    /// Optional gate for handshake requests (both transports), e.g. an origin or token check. Return null
    /// to accept, or a reason to refuse with error 4 "Forbidden" (403 on polling). Default none.
    /// </summary>
    public Func<HttpContext, ValueTask<string?>>? AllowRequest { get; set; }

    /// <summary>
    /// When set, the polling handshake response sets a cookie carrying the sid (for cookie-based sticky
    /// sessions behind a load balancer). Default off, as in Node.
    /// </summary>
    public EngineCookieOptions? Cookie { get; set; }

    /// <summary>
    /// permessage-deflate on WebSocket connections. Default off: it costs memory per connection
    /// (Engine.IO v4 turned it off for that reason).
    /// </summary>
    public bool PerMessageDeflate { get; set; }

    /// <summary>gzip/deflate of polling responses per Accept-Encoding, at or above <see cref="HttpCompressionThreshold"/>. Default on.</summary>
    public bool HttpCompression { get; set; } = true;

    /// <summary>Smallest polling response body, in bytes, that is compressed. Default 1024.</summary>
    public int HttpCompressionThreshold { get; set; } = 1024;

    /// <summary>
    /// Outgoing packets a session may hold for a client that does not read them. Past it the session is
    /// closed ("transport error") instead of growing memory without bound. Default 10,000.
    /// </summary>
    public int MaxBufferedPackets { get; set; } = 10_000;

    /// <summary>
    /// How long a server-closed polling session waits for the client's next poll to collect its last
    /// packets and the close packet. Default 30 s (Node's <c>closeTimeout</c>).
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Accept Engine.IO v3 clients (<c>socket.io-client</c> 1.x/2.x, <c>EIO=3</c>): length-prefixed polling
    /// payloads, client-sent pings, v3 binary framing; the Socket.IO layer speaks protocol 4 to them.
    /// Default off, as Node's <c>allowEIO3</c>: such a request is refused with "Unsupported protocol version".
    /// </summary>
    public bool AllowEIO3 { get; set; }

    /// <summary>
    /// At shutdown, how long running Socket.IO event handlers (and the acks and writes they make) get to
    /// finish, and the clients to receive what was queued for them, before the remaining connections are left
    /// to Kestrel, which aborts them. Default 10 s (and never past the host's <c>ShutdownTimeout</c>).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most sessions open at once on this endpoint. A handshake past it is refused with HTTP 503 and
    /// <c>{"code":4,"message":"Too many sessions"}</c> (polling and WebSocket alike). Default null: no limit, as Node.
    /// </summary>
    public int? MaxSessions { get; set; }

    /// <summary>
    /// Handshakes allowed per client IP address (<c>HttpContext.Connection.RemoteIpAddress</c>: behind a proxy,
    /// enable forwarded headers so it is the client's). Past it a handshake is refused with HTTP 429, a
    /// <c>Retry-After</c> header and <c>{"code":4,"message":"Too many handshakes"}</c>; requests of open
    /// sessions are never counted. Default null: no limit, as Node.
    /// </summary>
    public RateLimitOptions? HandshakeRateLimit { get; set; }

    /// <summary>
    /// Refuse WebSocket requests (a WebSocket handshake, and the upgrade of a polling session) that a browser
    /// sends from another site: browsers apply no CORS to WebSockets and send the page's cookies with them, so
    /// without this any site a signed-in user visits could open a socket as that user (cross-site WebSocket
    /// hijacking). A request whose <c>Origin</c> header is neither the server's own origin (same scheme, host
    /// and port as the request), nor in <see cref="AllowedOrigins"/>, nor (when that list is empty) allowed by
    /// the endpoint's CORS policy (<c>MapSocketIO().RequireCors(...)</c>) gets HTTP 403 and
    /// <c>{"code":4,"message":"origin not allowed"}</c>. A request without <c>Origin</c> (not a browser) and
    /// polling requests (CORS covers those) are never refused for it. Default off, as in Node's engine.io and
    /// ASP.NET Core's WebSockets (both accept any origin unless told otherwise); turn it on for a server whose
    /// sockets act for a signed-in user.
    /// </summary>
    public bool CheckWebSocketOrigin { get; set; }

    /// <summary>
    /// Origins (<c>https://app.example.com</c>, <c>http://localhost:5000</c>: scheme, host and port, no path)
    /// whose pages may open WebSockets when <see cref="CheckWebSocketOrigin"/> is on, besides the server's own
    /// origin. Compared without case, a default port being the same as none. Empty (the default): the
    /// endpoint's CORS policy decides instead, as ASP.NET Core's <c>WebSocketOptions.AllowedOrigins</c> list.
    /// </summary>
    public IList<string> AllowedOrigins { get; set; } = new List<string>();

    // Each endpoint gets its own list: its configure callback must not change another endpoint's.
    internal EngineIOOptions Clone()
    {
        var clone = (EngineIOOptions)MemberwiseClone();
        clone.AllowedOrigins = new List<string>(AllowedOrigins);
        return clone;
    }

    internal bool Allows(EngineTransports transport) => (Transports & transport) != 0;
}

/// <summary>The optional sid cookie (Node's <c>cookie</c> option).</summary>
public sealed class EngineCookieOptions
{
    /// <summary>Cookie name. Default <c>io</c>.</summary>
    public string Name { get; set; } = "io";

    /// <summary>Cookie path. Default <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>HttpOnly flag. Default true.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>SameSite mode. Default Lax.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;
}
