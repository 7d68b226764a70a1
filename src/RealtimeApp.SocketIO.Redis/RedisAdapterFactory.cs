using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>Gives every namespace a <see cref="RedisAdapter"/> on one shared Redis connection.</summary>
internal sealed class RedisAdapterFactory : ISocketIOAdapterFactory
{
    private readonly RedisAdapterOptions _options;
    private readonly ILogger<RedisAdapter> _logger;
    private readonly Lazy<IConnectionMultiplexer> _redis;

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
        _ => throw new NotSupportedException($"SocketIO:Redis:Mode = {_options.Mode} is not built yet"),
    };

    private IConnectionMultiplexer Connect()
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
        var redis = ConnectionMultiplexer.Connect(configuration);
        redis.ConnectionFailed += (_, e) => RedisAdapterLog.ConnectionLost(_logger, e.FailureType, e.Exception);
        redis.ConnectionRestored += (_, _) => RedisAdapterLog.ConnectionRestored(_logger);
        return redis;
    }
}
