using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

/// <summary>
/// Socket.IO options (Node's socket.io 4.8 names and defaults). Bound, together with the Engine.IO
/// options, from the configuration section <c>SocketIO</c> by <c>AddSocketIO</c>.
/// </summary>
public sealed class SocketIOOptions
{
    /// <summary>
    /// The parser every client of this server speaks: <see cref="SocketIOParser.Json"/> (default) or
    /// <see cref="SocketIOParser.MsgPack"/> (<c>socket.io-msgpack-parser</c>), as Node's <c>parser</c> option;
    /// configuration key <c>SocketIO:Parser</c>. Engine.IO v3 clients (socket.io-client 2.x) always speak JSON.
    /// </summary>
    public SocketIOParser Parser { get; set; } = SocketIOParser.Json;

    /// <summary>How long a new connection may take to join its first namespace before it is closed. Default 45 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Most binary attachments one packet may announce (socket.io-parser's maxAttachments). Default 10.</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>
    /// Serve the official client bundle at <c>{path}/socket.io.js</c>, <c>socket.io.min.js</c> (and the msgpack
    /// and ESM builds, with source maps), as Node's <c>serveClient</c>. Default true.
    /// </summary>
    public bool ServeClient { get; set; } = true;

    /// <summary>
    /// The user id of a signed-in socket (<see cref="SocketContext.UserId"/>), which names its user room
    /// (<see cref="SocketNamespace.ToUser"/>). Default: the <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/>
    /// claim, as SignalR's default <c>IUserIdProvider</c> (ASP.NET Core Identity puts the account's id there).
    /// Returning null leaves the socket out of any user room. Set in code only.
    /// </summary>
    public Func<System.Security.Claims.ClaimsPrincipal, string?> UserIdProvider { get; set; } = DefaultUserId;

    internal static string? DefaultUserId(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value : null;

    /// <summary>
    /// Remove a child namespace of a dynamic (pattern or predicate) namespace once its last socket has left
    /// (Node's <c>cleanupEmptyChildNamespaces</c>), so names that clients make up do not pile up; the next
    /// CONNECT to the name creates it again and runs the configure delegate again. Default false, as in Node.
    /// </summary>
    public bool CleanupEmptyChildNamespaces { get; set; }

    /// <summary>Default timeout of <c>EmitWithAckAsync</c> when none is given. Default 30 s.</summary>
    public TimeSpan DefaultAckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connection state recovery (Node's <c>connectionStateRecovery</c>, since socket.io 4.6): a client that
    /// lost its connection and comes back within <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/>
    /// gets its id, rooms and <c>Data</c> back, and every event it missed. Off (null) by default, as in
    /// Node; setting it (in code, or any key under <c>SocketIO:ConnectionStateRecovery</c>) turns it on.
    /// Costs memory: every broadcast event is kept for that long.
    /// </summary>
    public ConnectionStateRecoveryOptions? ConnectionStateRecovery { get; set; }

    // The operator's limits. Null (the default) is no limit, as in Node; the app sets them in
    // appsettings.json. Each one refuses with a reason the client (or the calling code) can read.

    /// <summary>
    /// Most namespaces one connection may join at once. One more CONNECT gets a CONNECT_ERROR
    /// <c>{"message":"namespace limit reached"}</c> (the client's <c>connect_error</c>); the connection stays.
    /// </summary>
    public int? MaxNamespacesPerConnection { get; set; }

    /// <summary>
    /// Most rooms a socket may be in, its own id room not counted. <see cref="SocketContext.Join"/> past it
    /// throws <see cref="SocketIOLimitExceededException"/> ("room limit reached") and joins none of the rooms;
    /// thrown from an event handler, it goes to <see cref="OnRefusal"/> (code <c>limit_exceeded</c>).
    /// </summary>
    public int? MaxRoomsPerSocket { get; set; }

    /// <summary>
    /// Most acks the server may wait for from one socket (<c>SocketContext.EmitWithAckAsync</c>). One
    /// more throws <see cref="SocketIOLimitExceededException"/> ("too many pending acks") at once, so a client
    /// that never answers cannot grow the server's memory.
    /// </summary>
    public int? MaxPendingAcksPerSocket { get; set; }

    /// <summary>
    /// Events a socket may send: a token bucket per socket. An event past it is dropped before any handler
    /// runs, and goes to <see cref="OnRefusal"/> (code <c>rate_limited</c>).
    /// </summary>
    public RateLimitOptions? EventRateLimit { get; set; }

    /// <summary>
    /// Called when the library turns an incoming event away instead of running the app's handler: a payload
    /// that does not bind in a typed <c>On&lt;T&gt;</c> (<c>invalid_payload</c>), <see cref="EventRateLimit"/>
    /// (<c>rate_limited</c>), a <see cref="SocketIOLimitExceededException"/> from a handler (<c>limit_exceeded</c>),
    /// an event during the shutdown drain (<c>shutting_down</c>). Answer <see cref="SocketRefusal.Ack"/> there in
    /// the app's own format. Default null: no ack is sent, as Node's socket.io never answers one for the app (the
    /// client's <c>emitWithAck</c> then times out). Runs on the receive path: keep it short. Set in code only.
    /// </summary>
    public Action<SocketRefusal>? OnRefusal { get; set; }

    /// <summary>
    /// An event every socket receives when the server begins to shut down, with one argument,
    /// <c>"server shutting down"</c> (the disconnect reason its server-side handlers see); its transport then
    /// closes either way, so clients reconnect (to another node, or to this one when it is back). Default
    /// null: nothing is sent, as Node's <c>io.close()</c>. An app whose clients want to say "reconnecting…"
    /// before the close sets a name (the board uses <c>"shutdown"</c>).
    /// </summary>
    public string? ShutdownEvent { get; set; }

    /// <summary>
    /// Disconnect a signed-in client when its authentication expires (SignalR's
    /// <c>CloseOnAuthenticationExpiration</c>): the cookie's or token's expiry, as the app's authentication
    /// handler reported it for the engine handshake request (<see cref="SocketHandshake.AuthenticationExpiresAt"/>).
    /// Then every socket of that engine connection gets <see cref="AuthenticationExpiredEvent"/>, then a
    /// DISCONNECT (server-side reason "authentication expired"; the official client sees
    /// <c>"io server disconnect"</c> and does not reconnect by itself: it should sign in again, then
    /// <c>socket.connect()</c>), and the connection closes. Without it a socket outlives its credentials for as
    /// long as it stays connected. Default off, as SignalR.
    /// </summary>
    public bool CloseOnAuthenticationExpiration { get; set; }

    /// <summary>
    /// The event sent to each socket just before <see cref="CloseOnAuthenticationExpiration"/> disconnects it,
    /// with one argument, <c>{ "message": "authentication expired" }</c>, so the client can tell the user why.
    /// Default <c>"auth_expired"</c>; null sends nothing.
    /// </summary>
    public string? AuthenticationExpiredEvent { get; set; } = "auth_expired";
}

/// <summary>Connection state recovery settings (Node's names and defaults).</summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>How long a disconnected socket's state and the events sent meanwhile are kept. Default 2 min.</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether a recovered socket skips the namespace's middleware (it passed them before). Default true.</summary>
    public bool SkipMiddlewares { get; set; } = true;
}
