using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// An Engine.IO echo server under differential test: <c>"ours"</c> (our Kestrel endpoint) or <c>"node"</c>
/// (Node's engine.io via <see cref="ReferenceEngineServer"/>), with the same settings, so a test can run the
/// same raw steps against either and assert the same observable result. Close reasons are compared as
/// Node's wire strings ("transport close", "parse error", ...).
/// </summary>
internal sealed class RawEngineTarget : IAsyncDisposable
{
    private readonly EngineTestServer? _ours;
    private readonly ReferenceEngineServer? _node;

    private RawEngineTarget(string name, EngineTestServer? ours, ReferenceEngineServer? node)
    {
        Name = name;
        _ours = ours;
        _node = node;
    }

    public static readonly TheoryData<string> Both = new() { "ours", "node" };

    public string Name { get; }

    public Uri BaseAddress => _ours?.BaseAddress ?? _node!.BaseAddress;

    public static async Task<RawEngineTarget> StartAsync(string name, int pingInterval = 300, int pingTimeout = 200) => name switch
    {
        "ours" => new RawEngineTarget(name, await EngineTestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(pingInterval);
            o.PingTimeout = TimeSpan.FromMilliseconds(pingTimeout);
        }), null),
        "node" => new RawEngineTarget(name, null, await ReferenceEngineServer.StartAsync(pingInterval, pingTimeout)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "ours or node"),
    };

    public RawEngineClient CreateClient() => new(BaseAddress);

    /// <summary>Waits until the server closed <paramref name="sid"/>; returns the reason as Node spells it.</summary>
    public async Task<string> WaitForCloseReasonAsync(string sid, TimeSpan? timeout = null)
    {
        if (_ours is not null)
        {
            var (reason, _) = await _ours.Handler.WaitForCloseAsync(sid, timeout);
            return reason.ToWireString();
        }
        return await _node!.WaitForCloseAsync(sid, timeout);
    }

    /// <summary>Waits until the server holds a GET for <paramref name="sid"/> (instead of sleeping and hoping).</summary>
    public Task WaitForHeldPollAsync(string sid, TimeSpan? timeout = null) =>
        _ours is not null ? _ours.WaitForHeldPollAsync(sid, timeout) : _node!.WaitForHeldPollAsync(sid, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_ours is not null)
        {
            await _ours.DisposeAsync();
        }
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
