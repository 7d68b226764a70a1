namespace RealtimeApp.LoadGen.Servers;

/// <summary>The three columns of every result: our library, the Node socket.io peer, and raw Kestrel (the ceiling).</summary>
internal enum ServerKind
{
    Ours,
    Node,
    Ceiling,
}

internal static class ServerKinds
{
    public static readonly ServerKind[] All = [ServerKind.Ours, ServerKind.Node, ServerKind.Ceiling];

    public static string Name(this ServerKind kind) => kind switch
    {
        ServerKind.Ours => "ours",
        ServerKind.Node => "node",
        _ => "ceiling",
    };

    public static ServerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "ours" => ServerKind.Ours,
        "node" => ServerKind.Node,
        "ceiling" => ServerKind.Ceiling,
        _ => throw new ArgumentException($"unknown server '{name}' (ours, node, ceiling)"),
    };

    /// <summary>Socket.IO servers speak Engine.IO; the ceiling is a bare WebSocket with no session layer.</summary>
    public static bool SpeaksEngineIo(this ServerKind kind) => kind != ServerKind.Ceiling;

    public static string WebSocketPath(this ServerKind kind) =>
        kind.SpeaksEngineIo() ? Wire.ClientTarget.SocketIoPath : Wire.ClientTarget.CeilingPath;

    /// <summary>What the polling-handshake scenario requests: the Engine.IO handshake, or a plain Kestrel text response.</summary>
    public static string PollingPath(this ServerKind kind) =>
        kind.SpeaksEngineIo() ? "/socket.io/?EIO=4&transport=polling" : "/plain";
}
