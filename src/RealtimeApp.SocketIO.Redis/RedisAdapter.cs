using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// One namespace's adapter on a Redis cluster, speaking @socket.io/redis-adapter 8.x so C# and Node nodes can
/// share it. Local state (rooms, local delivery) is an <see cref="InMemoryAdapter"/>; broadcasts are also
/// published for the other nodes, and their broadcasts and requests (see <c>RedisAdapter.Requests.cs</c>)
/// are applied here. It uses only the public adapter contract (<see cref="ISocketIOAdapter"/>,
/// <see cref="AdapterContext"/>), as a third-party adapter would. Redis going away costs only the cluster part: local delivery goes on, and
/// StackExchange.Redis reconnects and re-subscribes on its own.
/// </summary>
internal sealed partial class RedisAdapter : ISocketIOAdapter
{
    private readonly AdapterContext _context;
    private readonly string _nsp;
    private readonly InMemoryAdapter _local;
    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannels _channels;
    private readonly ILogger _logger;

    public RedisAdapter(AdapterContext context, IConnectionMultiplexer redis, RedisAdapterOptions options, ILogger logger)
    {
        _context = context;
        _nsp = context.Namespace.Name;
        // No recovery options: like Node's classic Redis adapter, this one keeps no sessions or packets.
        _local = new InMemoryAdapter(context);
        _redis = redis;
        _subscriber = redis.GetSubscriber();
        Options = options;
        _logger = logger;
        Uid = NewUid();
        _channels = new RedisChannels(options.Key, _nsp, Uid);
        Subscribed = SubscribeAsync();
    }

    /// <summary>This node's id in the cluster for this namespace (6 alphanumerics, as Node's).</summary>
    public string Uid { get; }

    public RedisAdapterOptions Options { get; }

    /// <summary>Completes when the channel subscriptions are in place (tests wait for it before publishing).</summary>
    public Task Subscribed { get; }

    private Task SubscribeAsync() => RedisSubscriptions.SubscribeAsync(_subscriber,
    [
        (RedisChannel.Pattern(_channels.BroadcastPattern), OnBroadcast),
        (RedisChannel.Literal(_channels.Request), OnRequest),
        (RedisChannel.Literal(_channels.Response), OnResponse),
        (RedisChannel.Literal(_channels.OwnResponse), OnResponse),
    ], _logger, _nsp);

    /// <inheritdoc />
    public async ValueTask<int> ServerCountAsync()
    {
        // Every node subscribes to the request channel: its subscriber count is the node count (Node does the same).
        var result = await _redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _channels.Request);
        var pair = (RedisResult[])result!;
        return (int)pair[1];
    }

    /// <inheritdoc />
    public void AddAll(string id, IEnumerable<string> rooms) => _local.AddAll(id, rooms);

    /// <inheritdoc />
    public int LocalRoomCount => _local.LocalRoomCount;

    /// <inheritdoc />
    public void Delete(string id, string room) => _local.Delete(id, room);

    /// <inheritdoc />
    public void DeleteAll(string id) => _local.DeleteAll(id);

    /// <inheritdoc />
    public IReadOnlySet<string> SocketRooms(string id) => _local.SocketRooms(id);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Sockets(BroadcastOptions options) => _local.Sockets(options);

    /// <summary>Delivers to the local targets, and (unless <see cref="BroadcastOptions.Local"/>) publishes for the other nodes.</summary>
    public int Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        if (!options.Local)
        {
            // As Node: a single target room has its own channel (nodes without members of it may skip it).
            var channel = options.Rooms.Count == 1 ? _channels.Room(options.Rooms.First()) : _channels.Broadcast;
            Publish(channel, ClusterBroadcast.Encode(Uid, _nsp, packet, options));
        }
        return _local.Broadcast(packet, options);
    }

    private void OnBroadcast(ChannelMessage message)
    {
        if (ClusterBroadcast.Decode((byte[])message.Message!) is not { } broadcast)
        {
            RedisAdapterLog.Ignored(_logger, message.Channel.ToString(), "not a broadcast");
            return;
        }
        if (broadcast.Uid == Uid || broadcast.Namespace != _nsp)
        {
            return;
        }
        if (_channels.RoomOf(message.Channel.ToString()) is { } room && _local.Sockets(new() { Rooms = new HashSet<string> { room } }).Count == 0)
        {
            return; // no member of that room here
        }
        _local.Broadcast(broadcast.ToPacket(), broadcast.Options with { Local = true });
    }

    private void Publish(string channel, byte[] message)
    {
        // Fire and forget: commands on one connection keep their order, and a broadcast never waits on Redis.
        // While Redis is away the publish fails (logged by the connection events); local delivery is unaffected.
        try
        {
            _subscriber.Publish(RedisChannel.Literal(channel), message, CommandFlags.FireAndForget);
        }
        catch (RedisConnectionException ex)
        {
            // No connection right now: this message is lost for the other nodes (pub/sub keeps nothing);
            // the connection events log the outage itself.
            RedisAdapterLog.Ignored(_logger, channel, $"not published, Redis unavailable: {ex.FailureType}");
        }
    }

    private static string NewUid()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> uid = stackalloc char[6];
        for (var i = 0; i < uid.Length; i++)
        {
            uid[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return new string(uid);
    }
}

internal static partial class RedisAdapterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Redis adapter for {Namespace} could not subscribe yet; it will when Redis is reachable")]
    public static partial void SubscribeFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Redis adapter ignored a message on {Channel}: {Why}")]
    public static partial void Ignored(ILogger logger, string channel, string why);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Redis connection lost ({FailureType}): cluster delivery stops, local delivery goes on")]
    public static partial void ConnectionLost(ILogger logger, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Redis connection restored: cluster delivery resumes")]
    public static partial void ConnectionRestored(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Redis adapter failed to handle a message on {Channel}")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Redis adapter for {Namespace} failed to handle a request")]
    public static partial void RequestFailed(ILogger logger, string @namespace, Exception exception);
}
