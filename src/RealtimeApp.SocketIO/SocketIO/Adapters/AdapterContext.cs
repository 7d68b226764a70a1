using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// What the library lends the adapter of one namespace, handed to <see cref="ISocketIOAdapterFactory.Create"/>:
/// the namespace and its settings, and the socket operations only an adapter should perform — delivering an
/// encoded packet, collecting acks for another node, raising a server-side event. Everything a cluster
/// adapter (Redis, PostgreSQL, NATS…) needs beyond the public server API is here, so none needs the library's
/// internals; holding one is what lets an adapter do these things (app code never gets one).
/// </summary>
public sealed class AdapterContext
{
    internal AdapterContext(SocketNamespace ns)
    {
        Namespace = ns;
    }

    /// <summary>The namespace this adapter serves.</summary>
    public SocketNamespace Namespace { get; }

    /// <summary>
    /// The server's connection state recovery settings; null when recovery is off. An adapter that can store
    /// sessions and packets for this long says so with <see cref="ISocketIOAdapter.SupportsRecovery"/>.
    /// </summary>
    public ConnectionStateRecoveryOptions? Recovery => Namespace.Server.Options.ConnectionStateRecovery;

    /// <summary>The server's clock (a fake one in tests): for recovery windows and request timeouts.</summary>
    public TimeProvider Time => Namespace.Server.Time;

    /// <summary>
    /// The options event arguments are serialized with (web defaults, bytes as placeholders): for the JSON an
    /// adapter writes to other nodes (server-side events, fetched sockets' data), so it reads like local data.
    /// </summary>
    public JsonSerializerOptions JsonOptions => SocketPayload.DefaultOptions;

    /// <summary>The socket with id <paramref name="id"/> connected to this namespace on this node, or null.</summary>
    public SocketContext? FindSocket(string id) => Namespace.FindSocket(id);

    /// <summary>
    /// Hands <paramref name="packet"/> to <paramref name="socket"/>'s transport; false when it was dropped
    /// (<paramref name="volatileSend"/> and the transport cannot take it now, or the socket is gone).
    /// For an adapter that keeps its own room table instead of delegating to <see cref="InMemoryAdapter"/>.
    /// </summary>
    public bool Deliver(SocketContext socket, EncodedPacket packet, bool volatileSend)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(packet);
        return socket.Deliver(packet.Packet, volatileSend);
    }

    /// <summary>
    /// Holds back the writes of what is delivered in this flow until the returned scope is disposed; then each socket
    /// written to gets one write for all of it. For an adapter that hands out a burst of other nodes' messages that
    /// have already arrived (a stream read, a queue of pub/sub messages), as the receive loop does for a client's
    /// burst: one write per socket instead of one per message. Nothing waits inside; the scope only groups.
    /// </summary>
    public static IDisposable BatchDeliveries() => new DeliveryBatch();

    private sealed class DeliveryBatch : IDisposable
    {
        private readonly SendBatch _batch = new();
        private readonly SendBatch? _previous;

        public DeliveryBatch()
        {
            _batch.Open();
            _previous = SendBatch.Exchange(_batch);
        }

        public void Dispose()
        {
            SendBatch.Exchange(_previous);
            _batch.End();
        }
    }

    /// <summary>
    /// Another node's share of a broadcast with acks (Node's <c>broadcastWithAck</c> on a receiving node): sends the
    /// event <paramref name="data"/> to the local sockets <paramref name="socketIds"/> with an ack id of this
    /// node, and hands each client's answer (its ack arguments) to <paramref name="onAck"/> until
    /// <paramref name="timeout"/>, after which late answers are dropped. Returns how many sockets it reached
    /// (what the requester waits for).
    /// </summary>
    public int DeliverWithAcks(IEnumerable<string> socketIds, PacketData data, bool volatileSend, TimeSpan timeout,
        Action<PacketData> onAck)
    {
        ArgumentNullException.ThrowIfNull(socketIds);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(onAck);
        var id = Namespace.NextAckId();
        var type = data.Attachments.Count > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event;
        var packet = OutgoingPacket.Create(type, Namespace.Name, id, data.Json.Span, data.Attachments);
        var targets = socketIds.Select(FindSocket).OfType<SocketContext>().ToList();
        foreach (var socket in targets)
        {
            socket.ExpectAck(id, answer =>
            {
                if (answer is not null) // null: the socket left; the requester waits it out, as Node
                {
                    onAck(PacketData.FromAnswer(answer));
                }
            });
        }
        var reached = 0;
        foreach (var socket in targets)
        {
            if (socket.Deliver(packet, volatileSend))
            {
                reached++;
            }
            else
            {
                socket.ForgetAck(id);
            }
        }
        _ = ForgetAcksAfterAsync(targets, id, timeout);
        return reached;
    }

    private async Task ForgetAcksAfterAsync(List<SocketContext> targets, long id, TimeSpan timeout)
    {
        await Task.Delay(timeout, Time);
        foreach (var socket in targets)
        {
            socket.ForgetAck(id);
        }
    }

    /// <summary>
    /// Runs this namespace's <c>OnServerSideEmit</c> listeners for an event another server sent (Node's
    /// <c>serverSideEmit</c> on a receiving node). <paramref name="arguments"/> is the JSON array of the
    /// arguments after the name; <paramref name="ack"/>, when the sender waits for answers, takes this
    /// server's answer (called at most once).
    /// </summary>
    public void RaiseServerSideEvent(string eventName, JsonElement arguments, Action<object?>? ack)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        Namespace.OnServerSideEvent(new ServerSideEvent(eventName, arguments, ack));
    }
}
