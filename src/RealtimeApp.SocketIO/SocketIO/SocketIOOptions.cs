namespace RealtimeApp.SocketIO.SocketIO;

/// <summary>
/// Socket.IO options (Node's socket.io 4.8 names and defaults). Bound, together with the Engine.IO
/// options, from the configuration section <c>SocketIO</c> by <c>AddSocketIO</c>.
/// </summary>
public sealed class SocketIOOptions
{
    /// <summary>How long a new connection may take to join its first namespace before it is closed. Default 45 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Most binary attachments one packet may announce (socket.io-parser's maxAttachments). Default 10.</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>
    /// Serve the official client bundle at <c>{path}/socket.io.js</c>, <c>socket.io.min.js</c> (and the msgpack
    /// and ESM builds, with source maps), as Node's <c>serveClient</c>. Default true.
    /// </summary>
    public bool ServeClient { get; set; } = true;

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
}

/// <summary>Connection state recovery settings (Node's names and defaults).</summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>How long a disconnected socket's state and the events sent meanwhile are kept. Default 2 min.</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether a recovered socket skips the namespace's middleware (it passed them before). Default true.</summary>
    public bool SkipMiddlewares { get; set; } = true;
}
