using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RealtimeApp.Startup;

/// <summary>
/// The listen sockets seen at bind, keyed by their bound endpoint, so that the listen hook can read the
/// same socket's state back (SO_ACCEPTCONN turns 0 → 1 between the two hooks: proof that the phases are
/// the kernel's, not ours). An entry is removed once its listen has been recorded.
/// </summary>
internal sealed class BoundListenSockets
{
    private readonly ConcurrentDictionary<string, Socket> _sockets = new();

    public void Add(EndPoint bound, Socket socket) => _sockets[Key(bound)] = socket;

    public Socket? Take(EndPoint bound) => _sockets.TryRemove(Key(bound), out var socket) ? socket : null;

    public static string Key(EndPoint? endpoint) => endpoint?.ToString() ?? "";

    /// <summary>SO_ACCEPTCONN: 1 once <c>listen()</c> has run on the socket; null where the OS can't say.</summary>
    public static int? AcceptingConnections(Socket socket)
    {
        try
        {
            return socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is int value
                ? value
                : null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return null;
        }
    }
}
