using System.Text.Json;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Redis.Cluster;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis.Streams;

/// <summary>
/// One namespace's adapter on a Redis stream, wire-compatible with Node's @socket.io/redis-streams-adapter 0.3.x:
/// broadcasts and room/disconnect operations are entries of the stream (<c>XADD … MAXLEN ~</c>, fields uid, nsp,
/// type, data) that every node reads in order; requests that need no keeping (fetchSockets, serverSideEmit, a
/// broadcast with acks) and their answers go over pub/sub as msgpack, on <c>{Key}#{nsp}#</c> and the requester's
/// <c>{Key}#{nsp}#{uid}#</c>. Because the stream keeps broadcasts, it does connection state recovery across nodes:
/// sessions are kept in Redis (<c>{SessionKeyPrefix}{pid}</c>, expiring with the recovery window) and a client that
/// comes back through any node gets its id, rooms, data and the events it missed (<c>RedisStreamsAdapter.Recovery.cs</c>).
/// </summary>
internal sealed partial class RedisStreamsAdapter : ClusterAdapter, ISocketIOAdapter
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisStreamReader _reader;
    private readonly RedisKey _stream;
    private readonly RedisChannel _publicChannel;
    private readonly RedisChannel _privateChannel;
    private readonly bool _stampsOffsets;

    public RedisStreamsAdapter(AdapterContext context, IConnectionMultiplexer redis, RedisStreamReader reader, string stream,
        RedisAdapterOptions options, ILogger logger)
        : base(context, options, logger)
    {
        _redis = redis;
        _reader = reader;
        _stream = stream;
        _publicChannel = RedisChannel.Literal($"{options.Key}#{Nsp}#");
        _privateChannel = RedisChannel.Literal($"{options.Key}#{Nsp}#{Uid}#");
        _stampsOffsets = context.Recovery is not null;
        reader.Add(this);
        Subscribed = RedisSubscriptions.SubscribeAsync(redis.GetSubscriber(),
            [(_publicChannel, OnPubSubMessage), (_privateChannel, OnPubSubMessage)], logger, Nsp);
    }

    public string Namespace => Nsp;

    /// <summary>Completes when the pub/sub channels are subscribed (tests wait for it, and for the reader's start).</summary>
    public Task Subscribed { get; }

    /// <summary>The reader of this namespace's stream.</summary>
    internal RedisStreamReader Reader => _reader;

    /// <inheritdoc />
    public bool SupportsRecovery => true;

    /// <inheritdoc />
    public override async ValueTask<int> ServerCountAsync()
    {
        // Every node subscribes to the public channel: its subscriber count is the node count (Node does the same).
        var pair = (RedisResult[])(await _redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _publicChannel.ToString()))!;
        return (int)pair[1];
    }

    /// <summary>
    /// Writes the broadcast to the stream; the reader hands it to this node's sockets too, in stream order and with
    /// its entry id as offset. Returns how many local sockets it selects now. While Redis cannot take it, it is
    /// delivered here at once, without an offset, and the other nodes miss it (Node does the same).
    /// </summary>
    public override int Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        var unstored = packet.Offset is null ? packet : packet.WithOffset(null);
        if (options.Local)
        {
            return Local.Broadcast(unstored, options);
        }
        var data = unstored.Data;
        var message = Message(ClusterMessageType.Broadcast, ClusterData.Broadcast(Nsp, data, options, null, null), data.Attachments);
        _ = AddOrDeliverHereAsync(message, unstored, options);
        return Local.Sockets(options).Count;
    }

    private async Task AddOrDeliverHereAsync(ClusterMessage message, EncodedPacket packet, BroadcastOptions options)
    {
        if (!await TryAddAsync(message))
        {
            Local.Broadcast(packet, options);
        }
    }

    private async Task<bool> TryAddAsync(ClusterMessage message)
    {
        try
        {
            NameValueEntry[] fields =
            [
                new("uid", message.Uid),
                new("nsp", message.Nsp),
                new("type", ((int)message.Type).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("data", ClusterMessageCodec.StreamData(message)),
            ];
            await _redis.GetDatabase().StreamAddAsync(_stream, fields, maxLength: Options.MaxLength, useApproximateMaxLength: true);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisStreamsLog.NotWritten(Logger, Nsp, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Node's <c>isEphemeral</c>: requests that wait for answers go over pub/sub (msgpack); the rest is kept in the
    /// stream. (The broadcasts with acks, the other ephemeral kind, come through <see cref="PublishBroadcastWithAcks"/>.)
    /// </summary>
    protected override void Publish(ClusterMessage message)
    {
        if (message.Type is ClusterMessageType.ServerSideEmit or ClusterMessageType.FetchSockets)
        {
            PublishNow(_publicChannel, message);
        }
        else
        {
            _ = TryAddAsync(message);
        }
    }

    /// <summary>A broadcast with acks waits for answers too: over pub/sub, never kept in the stream.</summary>
    protected override void PublishBroadcastWithAcks(ClusterMessage message) => PublishNow(_publicChannel, message);

    protected override void PublishResponse(string requesterUid, ClusterMessage response) =>
        PublishNow(RedisChannel.Literal($"{Options.Key}#{Nsp}#{requesterUid}#"), response);

    private void PublishNow(RedisChannel channel, ClusterMessage message)
    {
        try
        {
            _redis.GetSubscriber().Publish(channel, ClusterMessageCodec.ToMsgPack(message), CommandFlags.FireAndForget);
        }
        catch (RedisConnectionException ex)
        {
            ClusterAdapterLog.NotPublished(Logger, Nsp, ex.FailureType.ToString());
        }
    }

    private void OnPubSubMessage(ChannelMessage message)
    {
        if (ClusterMessageCodec.Decode((byte[])message.Message!) is { } decoded)
        {
            OnMessage(decoded);
        }
    }

    /// <summary>
    /// An entry of the stream, under the reader's gate. Broadcasts reach local sockets whichever node wrote them
    /// (this one's too: that is how its own sockets get them in stream order); other operations of this node were
    /// applied when they were made.
    /// </summary>
    internal void OnStreamEntry(string id, string? uid, string? type, string? data)
    {
        if (ClusterMessageCodec.FromStreamEntry(uid, Nsp, type, data) is not { } message)
        {
            return;
        }
        if (message.Type == ClusterMessageType.Broadcast)
        {
            try
            {
                using var document = message.ParseData();
                DeliverHere(message, document.RootElement, id);
            }
            catch (JsonException ex)
            {
                ClusterAdapterLog.BadMessage(Logger, Nsp, (int)message.Type, message.Uid, ex);
            }
            return;
        }
        OnMessage(message, id);
    }

    /// <summary>A broadcast from the stream: with its entry id as last argument when recovery keeps it (Node's <c>addOffsetIfNecessary</c>).</summary>
    protected override void DeliverHere(ClusterMessage message, JsonElement data, string? offset)
    {
        var options = ClusterData.ReadOptions(data) with { Local = true };
        var stamp = _stampsOffsets && !options.Volatile ? offset : null;
        if (ClusterData.PacketData(data, message.Attachments, stamp) is { } packetData)
        {
            Local.Broadcast(EncodedPacket.Event(Nsp, packetData, stamp), options);
        }
    }

    public override void Dispose()
    {
        _reader.Remove(this);
        var subscriber = _redis.GetSubscriber();
        subscriber.Unsubscribe(_publicChannel, null, CommandFlags.FireAndForget);
        subscriber.Unsubscribe(_privateChannel, null, CommandFlags.FireAndForget);
        base.Dispose();
    }
}
