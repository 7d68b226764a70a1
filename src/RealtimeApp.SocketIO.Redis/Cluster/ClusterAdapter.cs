using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.Adapters;

namespace RealtimeApp.SocketIO.Redis.Cluster;

/// <summary>
/// The behaviour of socket.io-adapter 2.5's <c>ClusterAdapter</c>, which Node's sharded Redis adapter and Redis
/// streams adapter extend: local rooms in an <see cref="InMemoryAdapter"/>, every cluster operation published as a
/// <see cref="ClusterMessage"/>, requests answered to the requester's own channel. A subclass says how messages
/// travel (<see cref="Publish"/>, <see cref="PublishResponse"/>) and how many nodes there are, and hands what it
/// receives to <see cref="OnMessage"/> / <see cref="OnResponse"/>.
/// </summary>
internal abstract partial class ClusterAdapter : ISocketIOAdapter, IDisposable
{
    protected ClusterAdapter(AdapterContext context, RedisAdapterOptions options, ILogger logger)
    {
        Context = context;
        Nsp = context.Namespace.Name;
        Local = new InMemoryAdapter(context);
        Options = options;
        Logger = logger;
        Uid = RandomId();
    }

    /// <summary>This node's id for this namespace: 16 hex digits, as Node's <c>randomId()</c>.</summary>
    public string Uid { get; }

    protected AdapterContext Context { get; }

    protected string Nsp { get; }

    /// <summary>The rooms and sockets of this node.</summary>
    protected InMemoryAdapter Local { get; }

    protected RedisAdapterOptions Options { get; }

    protected ILogger Logger { get; }

    /// <inheritdoc />
    public abstract ValueTask<int> ServerCountAsync();

    /// <summary>Sends <paramref name="message"/> to every other node, without waiting (failures are logged, not thrown).</summary>
    protected abstract void Publish(ClusterMessage message);

    /// <summary>
    /// Sends a broadcast that asks for acks (its data has a <c>requestId</c>) to every other node: as
    /// <see cref="Publish"/> unless the adapter carries it apart (the streams adapter keeps it out of the stream).
    /// </summary>
    protected virtual void PublishBroadcastWithAcks(ClusterMessage message) => Publish(message);

    /// <summary>Sends an answer to the node <paramref name="requesterUid"/> only.</summary>
    protected abstract void PublishResponse(string requesterUid, ClusterMessage response);

    /// <inheritdoc />
    public virtual void AddAll(string id, IEnumerable<string> rooms) => Local.AddAll(id, rooms);

    /// <inheritdoc />
    public virtual void Delete(string id, string room) => Local.Delete(id, room);

    /// <inheritdoc />
    public virtual void DeleteAll(string id) => Local.DeleteAll(id);

    /// <inheritdoc />
    public IReadOnlySet<string> SocketRooms(string id) => Local.SocketRooms(id);

    /// <inheritdoc />
    public int LocalRoomCount => Local.LocalRoomCount;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Sockets(BroadcastOptions options) => Local.Sockets(options);

    /// <summary>Publishes the broadcast for the other nodes (unless local only), then delivers it here.</summary>
    public virtual int Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        if (!options.Local)
        {
            Publish(Message(ClusterMessageType.Broadcast, ClusterData.Broadcast(Nsp, packet.Data, options, null, null), packet.Data.Attachments));
        }
        return Local.Broadcast(packet, options);
    }

    /// <inheritdoc />
    public void AddRemoteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        Publish(Message(ClusterMessageType.SocketsJoin, ClusterData.RoomChange(options, rooms)));

    /// <inheritdoc />
    public void DeleteRemoteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        Publish(Message(ClusterMessageType.SocketsLeave, ClusterData.RoomChange(options, rooms)));

    /// <inheritdoc />
    public void DisconnectRemoteSockets(BroadcastOptions options, bool close) =>
        Publish(Message(ClusterMessageType.DisconnectSockets, ClusterData.Disconnect(options, close)));

    /// <summary>A message of this node for this namespace.</summary>
    protected ClusterMessage Message(ClusterMessageType type, byte[]? data = null, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null) =>
        new() { Uid = Uid, Nsp = Nsp, Type = type, Data = data ?? ReadOnlyMemory<byte>.Empty, Attachments = attachments ?? [] };

    /// <summary>
    /// A message from another node (Node's <c>onMessage</c>): applied to this node's sockets. <paramref name="offset"/>
    /// is the stream id of a broadcast read from a stream (the recovery offset its packet carries).
    /// </summary>
    protected void OnMessage(ClusterMessage message, string? offset = null)
    {
        if (message.Uid == Uid || message.Nsp != Nsp)
        {
            return;
        }
        if (message.IsResponse)
        {
            OnResponse(message); // some transports do not tell answers from messages (Node does the same)
            return;
        }
        try
        {
            using var document = message.ParseData();
            var data = document.RootElement;
            switch (message.Type)
            {
                case ClusterMessageType.Broadcast when data.TryGetProperty("requestId", out var requestId) && requestId.ValueKind == JsonValueKind.String:
                    OnBroadcastWithAck(message, data, requestId.GetString()!);
                    break;
                case ClusterMessageType.Broadcast:
                    DeliverHere(message, data, offset);
                    break;
                case ClusterMessageType.SocketsJoin or ClusterMessageType.SocketsLeave:
                    ApplyRoomChange(data, join: message.Type == ClusterMessageType.SocketsJoin);
                    break;
                case ClusterMessageType.DisconnectSockets:
                    var close = data.TryGetProperty("close", out var c) && c.ValueKind == JsonValueKind.True;
                    foreach (var id in Local.Sockets(ClusterData.ReadOptions(data) with { Local = true }))
                    {
                        Context.FindSocket(id)?.Disconnect(close);
                    }
                    break;
                case ClusterMessageType.FetchSockets:
                    OnFetchSockets(message.Uid, data);
                    break;
                case ClusterMessageType.ServerSideEmit:
                    OnServerSideEmit(message.Uid, data);
                    break;
                default:
                    break; // heartbeats and adapter closes: these adapters count nodes through Redis instead
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            ClusterAdapterLog.BadMessage(Logger, Nsp, (int)message.Type, message.Uid, ex);
        }
    }

    /// <summary>A broadcast of another node, for this node's sockets (with its stream offset when recovery stores it).</summary>
    protected virtual void DeliverHere(ClusterMessage message, JsonElement data, string? offset)
    {
        var options = ClusterData.ReadOptions(data) with { Local = true };
        if (ClusterData.PacketData(data, message.Attachments) is not { } packetData)
        {
            return;
        }
        Local.Broadcast(EncodedPacket.Event(Nsp, packetData), options);
    }

    private void ApplyRoomChange(JsonElement data, bool join)
    {
        var rooms = ClusterData.Strings(data, "rooms");
        foreach (var id in Local.Sockets(ClusterData.ReadOptions(data) with { Local = true }))
        {
            if (join)
            {
                AddAll(id, rooms);
            }
            else
            {
                foreach (var room in rooms)
                {
                    Delete(id, room);
                }
            }
        }
    }

    /// <summary>Stops receiving (an empty child namespace being forgotten, or the server stopping).</summary>
    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    protected static string RandomId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

internal static partial class ClusterAdapterLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Redis cluster adapter for {Namespace} ignored a message of type {Type} from {Uid}")]
    public static partial void BadMessage(ILogger logger, string @namespace, int type, string uid, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Redis cluster adapter for {Namespace} could not publish: {Why}")]
    public static partial void NotPublished(ILogger logger, string @namespace, string why);
}
