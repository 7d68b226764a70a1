using System.Net;
using Microsoft.AspNetCore.Connections;

namespace RealtimeApp.Startup;

/// <summary>
/// The serve / accept / unbind hook: Kestrel's accept loop (<c>ConnectionDispatcher</c>) calls
/// <see cref="AcceptAsync"/> in a <c>while</c> loop on a thread-pool thread, so its first call is the
/// loop being entered (werkzeug's <c>serve_forever</c>), its first result the first accepted connection,
/// and a null result the loop ending after <see cref="UnbindAsync"/>. It sits on the accept hot path:
/// after the first accept it costs two flag checks.
/// </summary>
internal sealed class TracingConnectionListener(IConnectionListener inner, StartupTrace trace) : IConnectionListener
{
    private readonly string _endpoint = BoundListenSockets.Key(inner.EndPoint);
    private int _serving;
    private int _accepted;

    public EndPoint EndPoint => inner.EndPoint;

    public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (_serving == 0 && Interlocked.Exchange(ref _serving, 1) == 0)
        {
            trace.Record(StartupPhase.Serve, _endpoint, "accept loop waiting for connections",
                new Dictionary<string, object?> { ["Listener"] = _endpoint });
        }

        var pending = inner.AcceptAsync(cancellationToken);
        return pending.IsCompletedSuccessfully ? new(OnAccepted(pending.Result)) : AwaitAccept(pending);
    }

    private async ValueTask<ConnectionContext?> AwaitAccept(ValueTask<ConnectionContext?> pending) =>
        OnAccepted(await pending);

    private ConnectionContext? OnAccepted(ConnectionContext? connection)
    {
        if (connection is null)
        {
            trace.Record(StartupPhase.AcceptLoopEnded, _endpoint, "listener unbound, no more accepts");
            return null;
        }

        var first = _accepted == 0 && Interlocked.Exchange(ref _accepted, 1) == 0;
        if (first || trace.IsAcceptLoggingEnabled)
        {
            trace.Record(first ? StartupPhase.FirstAccept : StartupPhase.Accept, _endpoint,
                $"{connection.ConnectionId} from {connection.RemoteEndPoint}", new Dictionary<string, object?>
                {
                    ["ConnectionId"] = connection.ConnectionId,
                    ["LocalEndPoint"] = connection.LocalEndPoint?.ToString(),
                    ["RemoteEndPoint"] = connection.RemoteEndPoint?.ToString(),
                }, first ? LogLevel.Information : LogLevel.Debug);
        }

        return connection;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        trace.Record(StartupPhase.Unbind, _endpoint, "closing the listen socket");
        return inner.UnbindAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
