using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Redis.Sharded;
using RealtimeApp.SocketIO.Redis.Streams;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// Gives every namespace the adapter of <see cref="RedisAdapterOptions.Mode"/> on one shared Redis connection (and,
/// for streams, one reader per stream with a connection of its own: its reads block).
/// </summary>
internal sealed class RedisAdapterFactory : ISocketIOAdapterFactory, IDisposable
{
    private readonly RedisAdapterOptions _options;
    private readonly ILogger<RedisAdapter> _logger;
    private readonly Lazy<IConnectionMultiplexer> _redis;
    private readonly ConcurrentDictionary<string, Lazy<RedisStreamReader>> _readers = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<RedisStreamsAdapter> _streamsAdapters = [];

    public RedisAdapterFactory(IOptions<RedisAdapterOptions> options, ILogger<RedisAdapter> logger)
    {
        _options = options.Value;
        _logger = logger;
        _redis = new(Connect);
    }

    public IConnectionMultiplexer Redis => _redis.Value;

    public ISocketIOAdapter Create(AdapterContext context) => _options.Mode switch
    {
        RedisAdapterMode.PubSub => new RedisAdapter(context, _redis.Value, _options, _logger),
        RedisAdapterMode.Sharded => new ShardedRedisAdapter(context, _redis.Value, _options, _logger),
        RedisAdapterMode.Streams => CreateStreamsAdapter(context),
        _ => throw new NotSupportedException($"SocketIO:Redis:Mode = {_options.Mode} is not built yet"),
    };

    private RedisStreamsAdapter CreateStreamsAdapter(AdapterContext context)
    {
        var redis = _redis.Value;
        var stream = StreamIds.StreamOf(context.Namespace.Name, _options.StreamName, _options.StreamCount);
        var reader = _readers.GetOrAdd(stream, name => new(() => new RedisStreamReader(name, Configuration(), _options, _logger))).Value;
        var adapter = new RedisStreamsAdapter(context, redis, reader, stream, _options, _logger);
        _streamsAdapters.Add(adapter);
        return adapter;
    }

    /// <summary>At host stop, after the server closed its sockets: their sessions reach Redis before the node goes.</summary>
    public void Dispose()
    {
        var flushes = _streamsAdapters.Select(a => a.FlushSessionsAsync(TimeSpan.FromSeconds(2)));
        Task.WhenAll(flushes).GetAwaiter().GetResult();
        foreach (var reader in _readers.Values)
        {
            if (reader.IsValueCreated)
            {
                reader.Value.Dispose();
            }
        }
    }

    private IConnectionMultiplexer Connect()
    {
        var configuration = Configuration();
        var redis = ConnectionMultiplexer.Connect(configuration);
        redis.ConnectionFailed += (_, e) => RedisAdapterLog.ConnectionLost(_logger, e.FailureType, e.Exception);
        redis.ConnectionRestored += (_, _) => RedisAdapterLog.ConnectionRestored(_logger);
        return redis;
    }

    private ConfigurationOptions Configuration()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration);
        // Start (and keep running) without Redis: local delivery works, the cluster joins when Redis is there.
        configuration.AbortOnConnectFail = false;
        // While Redis is away a publish fails at once instead of queueing: broadcasts are live traffic, and
        // a backlog would grow for as long as the outage lasts, then deliver stale events all at once.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // Try again every second (the default backs off exponentially, up to 10 s between attempts): the
        // cluster should be whole again soon after Redis is.
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        return configuration;
    }
}
