namespace RealtimeApp.SocketIO;

// Node's io.close() and the cleanup of empty child namespaces: what removes things from the server.
public sealed partial class SocketIOServer
{
    /// <summary>
    /// Closes the server (Node's <c>io.close()</c>): refuses new sessions, namespace joins and events, disconnects
    /// every socket ("server shutting down", as Node, without a DISCONNECT packet) and closes every connection,
    /// then waits until the engine's sessions are gone (their queued packets delivered first) or
    /// <paramref name="cancellationToken"/> ends the wait. Unlike the host's graceful shutdown it does not wait for
    /// running handlers nor send <see cref="SocketIOOptions.ShutdownEvent"/>. There is no reopening, as in Node.
    /// Kestrel keeps listening (the app owns it): new handshakes are refused with 503.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        Engine?.BeginShutdown();
        CloseAll();
        Engine?.CloseAll();
        while (Engine is { SessionCount: > 0 } && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(20, cancellationToken); // real time: the engine's sessions close on their own clock
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Forgets an empty child namespace (<see cref="SocketIOOptions.CleanupEmptyChildNamespaces"/>). A socket that
    /// joined it meanwhile puts it back, so nobody is left in a namespace the server no longer knows.
    /// </summary>
    internal void RemoveEmptyChild(SocketNamespace ns)
    {
        if (!_namespaces.TryRemove(new(ns.Name, ns)))
        {
            return;
        }
        if (!ns.IsEmpty)
        {
            _namespaces.TryAdd(ns.Name, ns);
            return;
        }
        if (ns.Adapter is IDisposable disposable)
        {
            disposable.Dispose(); // Node closes the child's adapter (a cluster adapter's subscriptions)
        }
    }
}
