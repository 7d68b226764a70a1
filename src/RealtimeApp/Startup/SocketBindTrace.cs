using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace RealtimeApp.Startup;

/// <summary>
/// The bind hook. Kestrel's <c>SocketConnectionListener.Bind()</c> calls
/// <see cref="SocketTransportOptions.CreateBoundListenSocket"/> to create and <c>Socket.Bind</c> the
/// listen socket, then calls <c>Listen(Backlog)</c> on what it returns. Wrapping the value already set
/// (and still calling it) records the real moment right after <c>bind()</c>, with the real local endpoint
/// (port 0 resolved), or the real failure.
/// </summary>
internal sealed class SocketBindTrace(StartupTrace trace, BoundListenSockets sockets)
    : IPostConfigureOptions<SocketTransportOptions>
{
    public void PostConfigure(string? name, SocketTransportOptions options)
    {
        var inner = options.CreateBoundListenSocket;
        options.CreateBoundListenSocket = endpoint =>
        {
            Socket socket;
            try
            {
                socket = inner(endpoint);
            }
            catch (SocketException ex)
            {
                RecordFailure(endpoint, ex);
                throw;
            }

            RecordBind(endpoint, socket);
            return socket;
        };
    }

    private void RecordBind(EndPoint requested, Socket socket)
    {
        var local = socket.LocalEndPoint ?? requested;
        sockets.Add(local, socket);

        bool? dualMode = socket.AddressFamily == AddressFamily.InterNetworkV6 ? socket.DualMode : null;
        var inherited = requested is FileHandleEndPoint;
        var accepting = BoundListenSockets.AcceptingConnections(socket);
        var detail = $"{socket.AddressFamily}{(dualMode == true ? " dual-mode" : "")} fd {socket.Handle}"
            + (inherited ? " (inherited handle, no bind)" : "") + $" SO_ACCEPTCONN={accepting}";

        trace.Record(StartupPhase.Bind, BoundListenSockets.Key(local), detail, new Dictionary<string, object?>
        {
            ["RequestedEndPoint"] = requested.ToString(),
            ["LocalEndPoint"] = local.ToString(),
            ["AddressFamily"] = socket.AddressFamily.ToString(),
            ["DualMode"] = dualMode,
            ["SocketHandle"] = socket.Handle.ToInt64(),
            ["Inherited"] = inherited,
            ["IsBound"] = socket.IsBound,
            ["SO_ACCEPTCONN"] = accepting,
        });
    }

    private void RecordFailure(EndPoint requested, SocketException ex)
    {
        var detail = ex.SocketErrorCode == SocketError.AddressAlreadyInUse
            ? "address already in use: another process listens there; choose another port with --urls"
            : $"{ex.SocketErrorCode}: {ex.Message}";

        // No exception attached: the message says what happened, the host decides how the app exits.
        trace.Record(StartupPhase.BindFailed, requested.ToString(), detail, new Dictionary<string, object?>
        {
            ["RequestedEndPoint"] = requested.ToString(),
            ["SocketError"] = ex.SocketErrorCode.ToString(),
        }, LogLevel.Error);
    }
}
