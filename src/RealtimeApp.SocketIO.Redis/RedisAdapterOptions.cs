namespace RealtimeApp.SocketIO.Redis;

/// <summary>Options of the Redis adapter (the names and defaults of Node's @socket.io/redis-adapter).</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>Redis connection string (StackExchange.Redis syntax), e.g. <c>localhost:6379</c>.</summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>Prefix of every channel (Node's <c>key</c>). Default <c>socket.io</c>.</summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>How long a request to the other nodes waits for their answers (Node's <c>requestsTimeout</c>). Default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
