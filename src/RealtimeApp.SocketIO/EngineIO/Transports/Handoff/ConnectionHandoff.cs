using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace RealtimeApp.SocketIO.EngineIO.Transports.Handoff;

/// <summary>
/// Lets an Engine.IO WebSocket leave Kestrel's HTTP/1.1 layer once its upgrade request has been through the
/// whole ASP.NET Core pipeline (CORS, authentication, authorization, rate limits, the engine's own checks).
/// Installed as connection middleware (<c>ListenOptions.UseSocketIOConnectionHandoff</c>), it stands between
/// Kestrel's transport and its HTTP layer: the HTTP layer reads and writes through it as usual. When the engine
/// accepts a WebSocket it answers 101, asks for the handoff and ends the request; the HTTP layer then winds down
/// (its completes are not passed on) and the WebSocket runs on the connection's own pipes. What an upgraded
/// request otherwise keeps for the socket's whole life — the HTTP/1.1 connection, the HttpContext, both header
/// collections, the hosting activity, ~5 KB — becomes garbage.
/// </summary>
internal sealed class ConnectionHandoff : IDuplexPipe, IConnectionHeartbeatFeature
{
    private readonly ConnectionContext _connection;
    private readonly IDuplexPipe _transport;
    private readonly IConnectionHeartbeatFeature? _heartbeat;
    private readonly HandoffPipeReader _input;
    private readonly HandoffPipeWriter _output;
    private (Action<object> Action, object State)[]? _heartbeatHandlers;
    private int _heartbeatRegistered;
    private Func<ConnectionContext, Task>? _takeover;

    private ConnectionHandoff(ConnectionContext connection)
    {
        _connection = connection;
        _transport = connection.Transport;
        _heartbeat = connection.Features.Get<IConnectionHeartbeatFeature>();
        _input = new HandoffPipeReader(_transport.Input);
        _output = new HandoffPipeWriter(_transport.Output);
    }

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

    /// <summary>The connection middleware: HTTP/1.1 through the handoff, then the WebSocket if one asked.</summary>
    public static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var handoff = new ConnectionHandoff(connection);
        // One feature entry serves both: the HTTP layer registers its heartbeat with it, and the engine finds the
        // handoff through it (a second entry would be one more slot per connection).
        connection.Features.Set<IConnectionHeartbeatFeature>(handoff);
        connection.Transport = handoff;
        await next(connection);

        if (handoff._takeover is not null)
        {
            connection.Transport = handoff._transport;
            try
            {
                // An exception here is Kestrel's to log, as one from the request would have been.
                await handoff.StartTakeover();
            }
            finally
            {
                await handoff._transport.Output.CompleteAsync();
                await handoff._transport.Input.CompleteAsync();
            }
        }
    }

    // The takeover is started and forgotten: what it captured (the handshake's closures) is not kept for the
    // connection's life, only the task it returned.
    private Task StartTakeover()
    {
        var takeover = _takeover!;
        _takeover = Started;
        return takeover(_connection);
    }

    private static readonly Func<ConnectionContext, Task> Started = static _ => Task.CompletedTask;

    /// <summary>
    /// The handoff of this request's connection, when it can take one: an HTTP/1.1 upgrade on a connection whose
    /// HTTP layer reads this handoff directly (a middleware installed after it, e.g. TLS added later to the
    /// endpoint, would have put its own pipes in between: those connections stay on the usual path).
    /// </summary>
    public static ConnectionHandoff? Of(HttpContext context) =>
        context.Features.Get<IConnectionHeartbeatFeature>() is ConnectionHandoff handoff
        && ReferenceEquals(handoff._connection.Transport, handoff)
        && handoff._takeover is null
        && HttpProtocol.IsHttp11(context.Request.Protocol)
            ? handoff
            : null;

    /// <summary>
    /// Called by the request after its 101 is out: once the HTTP layer has finished with the connection,
    /// <paramref name="takeover"/> runs on the connection, its own pipes back in <c>Transport</c>. From here on
    /// the HTTP layer's completes and cancellations stop at the handoff, and its heartbeat callbacks are dropped
    /// (they are what would keep the HTTP connection reachable).
    /// </summary>
    public void Detach(Func<ConnectionContext, Task> takeover)
    {
        _takeover = takeover;
        _input.Detach();
        _output.Detach();
        Volatile.Write(ref _heartbeatHandlers, null);
    }

    void IConnectionHeartbeatFeature.OnHeartbeat(Action<object> action, object state)
    {
        if (Interlocked.CompareExchange(ref _heartbeatRegistered, 1, 0) == 0)
        {
            _heartbeat?.OnHeartbeat(static s => ((ConnectionHandoff)s).OnHeartbeat(), this);
        }
        // Copy on write: registrations are rare (one per HTTP layer), ticks come every second.
        while (true)
        {
            var current = Volatile.Read(ref _heartbeatHandlers);
            if (_takeover is not null)
            {
                return;
            }
            (Action<object>, object)[] added = current is null ? [(action, state)] : [.. current, (action, state)];
            if (Interlocked.CompareExchange(ref _heartbeatHandlers, added, current) == current)
            {
                return;
            }
        }
    }

    private void OnHeartbeat()
    {
        if (Volatile.Read(ref _heartbeatHandlers) is not { } handlers)
        {
            return;
        }
        foreach (var (action, state) in handlers)
        {
            action(state);
        }
    }
}
