using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// One engine session carrying any number of namespaces (Node's <c>Client</c>): it decodes packets,
/// reassembles binary attachments, routes packets to sockets and enforces the connect timeout. Any
/// protocol violation closes this one connection, as Node does, never anything else.
/// </summary>
internal sealed partial class SocketIOConnection
{
    private readonly SocketIOServer _server;
    private readonly Dictionary<string, SocketContext> _sockets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ConnectDeadline? _connectDeadline; // dropped once a namespace is joined
    private readonly IPacketDecoder _decoder; // the server's parser: decoding (and attachment reassembly); fuzzed in fuzz/
    private bool _everConnected;

    public SocketIOConnection(SocketIOServer server, EngineSession session)
    {
        _server = server;
        Session = session;
        // Engine.IO v3 clients (socket.io-client 2.x) speak the JSON parser of protocol 4 whatever the option.
        Parser = session.Protocol == 3 ? SocketIOParser.Json : server.Options.Parser;
        _decoder = PacketDecoders.For(Parser, server.Options.MaxAttachments);
        ArmAuthenticationExpiry();
        if (IsLegacyClient)
        {
            // Engine.IO v3 clients speak Socket.IO protocol 4, where the main namespace is joined implicitly:
            // the server connects it at once (its middlewares run, auth {}), so there is nothing to time out.
            _everConnected = true;
            return;
        }
        _connectDeadline = new ConnectDeadline(this);
        server.ConnectTimeouts.Arm(_connectDeadline);
    }

    // The connect timeout waits in the server's shared queue (one timer for every connection, see DeadlineQueue).
    private sealed class ConnectDeadline(SocketIOConnection connection) : Deadline
    {
        internal override void OnDue(int generation) => connection.OnConnectTimeout(this, generation);
    }

    public EngineSession Session { get; }

    /// <summary>
    /// True for Engine.IO v3 clients (<c>socket.io-client</c> 1.x/2.x), which speak Socket.IO protocol 4:
    /// implicit main-namespace connection, CONNECT replies without payload, auth as the namespace's query
    /// string, socket ids derived from the engine id, CONNECT_ERROR carrying a bare message or data.
    /// </summary>
    public bool IsLegacyClient => Session.Protocol == 3;

    /// <summary>The parser this connection's packets are written and read with.</summary>
    public SocketIOParser Parser { get; }

    /// <summary>The sockets this connection carries now, one per namespace (a copy, taken under the lock).</summary>
    public SocketContext[] CurrentSockets()
    {
        lock (_gate)
        {
            return [.. _sockets.Values];
        }
    }

    public void Send(OutgoingPacket packet)
    {
        var observer = _server.Observer;
        foreach (var frame in packet.FramesFor(Parser))
        {
            observer?.PacketOut(frame.Frame.Length);
            Session.Send(frame);
        }
    }

    private int _connecting; // CONNECTs whose middlewares are still running

    /// <summary>Counts a CONNECT in progress, unless the connection is at <paramref name="max"/> namespaces (joined or joining).</summary>
    public bool TryBeginConnect(int? max)
    {
        lock (_gate)
        {
            if (max is { } limit && _sockets.Count + _connecting >= limit)
            {
                return false;
            }
            _connecting++;
            return true;
        }
    }

    public void EndConnect()
    {
        lock (_gate)
        {
            _connecting--;
        }
    }

    public void Add(SocketContext socket)
    {
        lock (_gate)
        {
            _sockets[socket.Namespace.Name] = socket;
            if (!_everConnected)
            {
                // Cleared by the first successful join and never re-armed (Node: a client that later
                // leaves every namespace keeps its engine connection).
                _everConnected = true;
                DisposeConnectTimer();
            }
        }
    }

    public void Remove(SocketContext socket)
    {
        lock (_gate)
        {
            if (_sockets.TryGetValue(socket.Namespace.Name, out var current) && current == socket)
            {
                _sockets.Remove(socket.Namespace.Name);
            }
        }
    }

    /// <summary>One Engine.IO message: a text packet, or the next attachment of a pending binary packet.</summary>
    public void OnMessage(DecodedPacket message)
    {
        var error = _decoder.Add(message, out var packet);
        if (error != SocketDecodeError.None)
        {
            Fail(error);
            return;
        }
        if (packet is not null)
        {
            Dispatch(packet);
        }
    }

    private void Dispatch(SocketPacket packet)
    {
        SocketContext? socket;
        lock (_gate)
        {
            // A protocol-4 CONNECT names its namespace with the auth query attached ("/admin?token=x").
            var nsp = IsLegacyClient && packet.Type == SocketPacketType.Connect
                ? LegacyProtocol.SplitNamespace(packet.Namespace).Namespace : packet.Namespace;
            _sockets.TryGetValue(nsp, out socket);
        }

        if (socket is null && packet.Type == SocketPacketType.Connect)
        {
            var (nsp, auth) = IsLegacyClient ? LegacyProtocol.SplitNamespace(packet.Namespace) : (packet.Namespace, packet.Data);
            _ = _server.ConnectAsync(this, nsp, auth);
        }
        else if (socket is not null && packet.Type is not (SocketPacketType.Connect or SocketPacketType.ConnectError))
        {
            socket.OnPacket(packet);
        }
        else
        {
            // Node's "invalid state": CONNECT twice, CONNECT_ERROR from a client, or a packet for a
            // namespace this client has not joined.
            _server.Log.ProtocolViolation(Session.Id, $"invalid state: {packet.Type} for {packet.Namespace}");
            Close(DisconnectReason.ForcedServerClose, notifyClient: false);
        }
    }

    private void Fail(SocketDecodeError error)
    {
        _server.Log.ProtocolViolation(Session.Id, error.ToString());
        Close(DisconnectReason.ForcedServerClose, notifyClient: false);
    }

    private void OnConnectTimeout(ConnectDeadline deadline, int generation)
    {
        lock (_gate)
        {
            if (_everConnected || deadline.Generation != generation)
            {
                return;
            }
        }
        Close(DisconnectReason.ForcedServerClose, notifyClient: false);
    }

    /// <summary>
    /// Closes the connection: every socket leaves with <paramref name="reason"/> (the initiating socket
    /// with its own), each told with a DISCONNECT first when <paramref name="notifyClient"/>; then the
    /// engine session closes after flushing what was queued.
    /// </summary>
    public void Close(DisconnectReason reason, bool notifyClient, SocketContext? origin = null)
    {
        foreach (var socket in Snapshot())
        {
            if (notifyClient)
            {
                Send(OutgoingPacket.Create(SocketPacketType.Disconnect, socket.Namespace.Name, null, []));
            }
            socket.OnClose(socket == origin || origin is null ? reason : DisconnectReason.ServerNamespaceDisconnect);
        }
        DisposeConnectTimer();
        DisposeExpiryTimer();
        Session.Close();
    }

    /// <summary>The engine session closed underneath: every socket leaves with the mapped reason.</summary>
    public void OnEngineClosed(EngineCloseReason reason)
    {
        DisposeConnectTimer();
        DisposeExpiryTimer();
        var mapped = DisconnectReasons.FromEngine(reason);
        foreach (var socket in Snapshot())
        {
            socket.OnClose(mapped);
        }
    }

    private void DisposeConnectTimer() => Interlocked.Exchange(ref _connectDeadline, null)?.Cancel();

    internal SocketContext[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _sockets.Values];
        }
    }
}
