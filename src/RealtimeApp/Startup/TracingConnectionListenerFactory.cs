using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace RealtimeApp.Startup;

/// <summary>
/// The listen hook. Kestrel's <c>TransportManager.BindAsync</c> asks this factory to bind an endpoint;
/// the inner <see cref="SocketTransportFactory"/> returns only after <c>Socket.Bind</c> and
/// <c>Socket.Listen(Backlog)</c> have both run, so the moment it returns is the moment the socket listens.
/// Kestrel tries factories in reverse registration order, so this one (registered after Kestrel's own)
/// is asked first; <see cref="CanBind"/> forwards, so other endpoint kinds fall through untouched.
/// </summary>
internal sealed class TracingConnectionListenerFactory(
    IConnectionListenerFactory inner,
    StartupTrace trace,
    BoundListenSockets sockets,
    int backlog) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await inner.BindAsync(endpoint, cancellationToken);

        var socket = sockets.Take(listener.EndPoint);
        var accepting = socket is null ? null : BoundListenSockets.AcceptingConnections(socket);
        trace.Record(StartupPhase.Listen, BoundListenSockets.Key(listener.EndPoint),
            $"backlog {backlog} SO_ACCEPTCONN={accepting}", new Dictionary<string, object?>
            {
                ["Backlog"] = backlog,
                ["SO_ACCEPTCONN"] = accepting,
                ["Transport"] = "Sockets",
            });

        return new TracingConnectionListener(listener, trace);
    }

    public bool CanBind(EndPoint endpoint) =>
        inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);
}
