using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Redis.Cluster;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis.Sharded;

/// <summary>
/// One namespace's adapter on Redis sharded pub/sub (Redis 7 <c>SSUBSCRIBE</c>/<c>SPUBLISH</c>, made for Redis
/// Cluster), wire-compatible with Node's <c>createShardedAdapter</c> of @socket.io/redis-adapter 8.3: every
/// cluster message (<see cref="ClusterMessage"/>) goes on <c>{Key}#{nsp}#</c> as JSON, or as msgpack when it
/// carries binary; answers go on the requester's <c>{Key}#{nsp}#{uid}#</c>. With a dynamic
/// <see cref="RedisAdapterOptions.SubscriptionMode"/>, a broadcast to one room goes on that room's own channel
/// <c>{Key}#{nsp}#{room}#</c>, which only the nodes with members of the room subscribe to
/// (<c>ShardedRedisAdapter.Rooms.cs</c>): on a Redis Cluster the channels, so the load, spread over the shards.
/// </summary>
internal sealed partial class ShardedRedisAdapter : ClusterAdapter
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly string _channel;
    private readonly string _responseChannel;
    private readonly RedisSubscription[] _subscriptions;

    public ShardedRedisAdapter(AdapterContext context, IConnectionMultiplexer redis, RedisAdapterOptions options, ILogger logger)
        : base(context, options, logger)
    {
        _redis = redis;
        _subscriber = redis.GetSubscriber();
        _channel = $"{options.Key}#{Nsp}#";
        _responseChannel = $"{_channel}{Uid}#";
        _subscriptionMode = options.SubscriptionMode;
        _subscriptions =
        [
            new RedisSubscription(_subscriber, RedisChannel.Sharded(_channel), OnRawMessage, logger, Nsp),
            new RedisSubscription(_subscriber, RedisChannel.Sharded(_responseChannel), OnRawMessage, logger, Nsp),
        ];
        Subscribed = Task.WhenAll(_subscriptions.Select(s => s.Subscribed));
    }

    /// <summary>Completes when the namespace and response channels are subscribed (tests wait for it before publishing).</summary>
    public Task Subscribed { get; }

    /// <summary>Whether the connection to Redis is up (for tests).</summary>
    internal bool IsConnected => _redis.IsConnected;

    /// <summary>
    /// The nodes subscribed to the namespace channel (<c>PUBSUB SHARDNUMSUB</c>, as Node): on a Redis Cluster, the
    /// sum over every master, as Node's adapter asks each master of a cluster client.
    /// </summary>
    public override async ValueTask<int> ServerCountAsync() => (int)await ShardSubscriberCountAsync(_channel);

    /// <summary>How many clients subscribe to the sharded <paramref name="channel"/>, over every master.</summary>
    internal async Task<long> ShardSubscriberCountAsync(string channel)
    {
        var masters = _redis.GetServers().Where(s => !s.IsReplica).ToArray();
        if (masters.Length == 0)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "no Redis server is known yet");
        }
        var counts = await Task.WhenAll(masters.Select(async server =>
        {
            var pair = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel))!;
            return (long)pair[1];
        }));
        return counts.Sum();
    }

    /// <summary>
    /// Publishes the broadcast (on its room's channel when it targets one room that has one: Node's
    /// <c>computeChannel</c>), then delivers it here.
    /// </summary>
    public override int Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        if (options.Local || options.Rooms.Count != 1 || !PublishesOnRoomChannel(options.Rooms.First()))
        {
            return base.Broadcast(packet, options);
        }
        var data = packet.Data;
        Publish(RoomChannelName(options.Rooms.First()),
            Message(ClusterMessageType.Broadcast, ClusterData.Broadcast(Nsp, data, options, null, null), data.Attachments));
        return Local.Broadcast(packet, options);
    }

    /// <summary>Every other message (broadcasts with acks included: every node must count its clients) on the namespace channel.</summary>
    protected override void Publish(ClusterMessage message) => Publish(_channel, message);

    protected override void PublishResponse(string requesterUid, ClusterMessage response) =>
        Publish($"{_channel}{requesterUid}#", response);

    private void Publish(string channel, ClusterMessage message)
    {
        // Node's encode: JSON, unless a type that may carry binary does.
        var bytes = message.MayContainBinary && message.HasBinary ? ClusterMessageCodec.ToMsgPack(message) : ClusterMessageCodec.ToJson(message);
        try
        {
            // Fire and forget, as the classic adapter: a broadcast never waits on Redis, and while Redis (or the
            // shard that owns the channel) is away the message is lost for the other nodes.
            _subscriber.Publish(RedisChannel.Sharded(channel), bytes, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            ClusterAdapterLog.NotPublished(Logger, Nsp, ex.Message);
        }
    }

    /// <summary>Node's <c>onRawMessage</c>: answers on this node's response channel, everything else as a message.</summary>
    private void OnRawMessage(ChannelMessage raw)
    {
        if (ClusterMessageCodec.Decode((byte[])raw.Message!) is not { } message)
        {
            RedisAdapterLog.Ignored(Logger, raw.Channel.ToString(), "neither JSON nor msgpack");
            return;
        }
        if (raw.Channel.ToString() == _responseChannel)
        {
            OnResponse(message);
        }
        else
        {
            OnMessage(message);
        }
    }

    /// <summary>Unsubscribes every channel of this namespace (Node's <c>close</c>).</summary>
    public override void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Unsubscribe();
        }
        UnsubscribeRooms();
        base.Dispose();
    }
}
