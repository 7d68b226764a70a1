namespace RealtimeApp.SocketIO.Redis;

/// <summary>Options of the Redis adapters (the names and defaults of Node's @socket.io/redis-adapter and redis-streams-adapter).</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>Redis connection string (StackExchange.Redis syntax), e.g. <c>localhost:6379</c>.</summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>
    /// Which adapter carries the cluster: classic pub/sub (default), sharded pub/sub (Redis 7 <c>SPUBLISH</c>, for
    /// Redis Cluster) or a Redis stream (keeps broadcasts, so connection state recovery works across nodes).
    /// Every node of one cluster, C# or Node, must use the same kind.
    /// </summary>
    public RedisAdapterMode Mode { get; set; } = RedisAdapterMode.PubSub;

    /// <summary>
    /// Prefix of every channel (Node's <c>key</c> for the classic adapter, <c>channelPrefix</c> for the sharded
    /// and streams adapters). Default <c>socket.io</c>.
    /// </summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>How long a request to the other nodes waits for their answers (Node's <c>requestsTimeout</c>). Default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sharded mode: which rooms get a channel of their own (Node's <c>subscriptionMode</c>). Default
    /// <see cref="RedisSubscriptionMode.Dynamic"/>.
    /// </summary>
    public RedisSubscriptionMode SubscriptionMode { get; set; } = RedisSubscriptionMode.Dynamic;

    /// <summary>Streams mode: the stream's key (Node's <c>streamName</c>). Default <c>socket.io</c>.</summary>
    public string StreamName { get; set; } = "socket.io";

    /// <summary>
    /// Streams mode: how many streams the namespaces are spread over by a hash of their name (Node's
    /// <c>streamCount</c>; <c>{StreamName}-{i}</c> when above 1). Default 1.
    /// </summary>
    public int StreamCount { get; set; } = 1;

    /// <summary>
    /// Streams mode: about how many entries the stream keeps (<c>XADD … MAXLEN ~</c>, Node's <c>maxLen</c>):
    /// a client can recover only what is still there. Default 10,000.
    /// </summary>
    public int MaxLength { get; set; } = 10_000;

    /// <summary>Streams mode: entries read per <c>XREAD</c> (Node's <c>readCount</c>). Default 100.</summary>
    public int ReadCount { get; set; } = 100;

    /// <summary>
    /// Streams mode: how long one <c>XREAD BLOCK</c> waits for new entries before asking again (Node's
    /// <c>blockTimeInMs</c>). Default 5 s.
    /// </summary>
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Streams mode: prefix of the keys that hold disconnected sessions for recovery (Node's
    /// <c>sessionKeyPrefix</c>). Default <c>sio:session:</c>.
    /// </summary>
    public string SessionKeyPrefix { get; set; } = "sio:session:";
}

/// <summary>The kind of Redis adapter (<see cref="RedisAdapterOptions.Mode"/>, <c>SocketIO:Redis:Mode</c>).</summary>
public enum RedisAdapterMode
{
    /// <summary>Classic pub/sub, as Node's <c>createAdapter</c> of @socket.io/redis-adapter 8.x.</summary>
    PubSub,

    /// <summary>Sharded pub/sub (Redis 7), as Node's <c>createShardedAdapter</c> of @socket.io/redis-adapter 8.x.</summary>
    Sharded,

    /// <summary>A Redis stream, as Node's @socket.io/redis-streams-adapter 0.3.x (recovery across nodes).</summary>
    Streams,
}

/// <summary>Sharded mode: which rooms get their own channel (Node's <c>subscriptionMode</c>).</summary>
public enum RedisSubscriptionMode
{
    /// <summary>One channel per namespace: every node gets every broadcast (Node's <c>"static"</c>).</summary>
    Static,

    /// <summary>Public rooms (not socket ids) get a channel each, subscribed while the room has local members (Node's <c>"dynamic"</c>).</summary>
    Dynamic,

    /// <summary>Every room, socket-id rooms included, gets its own channel (Node's <c>"dynamic-private"</c>).</summary>
    DynamicPrivate,
}
