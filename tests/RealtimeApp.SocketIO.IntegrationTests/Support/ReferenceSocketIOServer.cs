namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// Node's socket.io (pinned in tests/js/package.json) as a reference server a differential test runs the same client
/// script against: <c>tests/js/reference-socketio-server.mjs</c> (the echo handlers of <see cref="SocketIOTestHandlers"/>
/// that socketio-echo-client.mjs uses) or another such script, e.g. parity-reference-server.mjs.
/// </summary>
internal sealed class ReferenceSocketIOServer : IAsyncDisposable
{
    private readonly NodePeerProcess _peer;

    private ReferenceSocketIOServer(NodePeerProcess peer)
    {
        _peer = peer;
        BaseAddress = new Uri($"http://127.0.0.1:{peer.Ready.GetProperty("port").GetInt32()}/");
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    public static async Task<ReferenceSocketIOServer> StartAsync(bool msgPack, string script = "reference-socketio-server.mjs") =>
        new(await NodePeerProcess.StartAsync(script, msgPack ? ["--msgpack"] : []));

    public ValueTask DisposeAsync() => _peer.DisposeAsync();
}
