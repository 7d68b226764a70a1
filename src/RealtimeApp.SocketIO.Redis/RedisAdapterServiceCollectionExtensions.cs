using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis adapter.</summary>
public static class RedisAdapterServiceCollectionExtensions
{
    /// <summary>The configuration section the adapter's options are bound from.</summary>
    public const string ConfigurationSection = "SocketIO:Redis";

    /// <summary>
    /// Joins this server to a Redis cluster of Socket.IO nodes (C# or Node with @socket.io/redis-adapter 8.x):
    /// <c>builder.Services.AddSocketIO().AddRedisAdapter(o => o.Configuration = "redis:6379")</c>. Options
    /// come from <c>SocketIO:Redis</c> first.
    /// </summary>
    public static ISocketIOBuilder AddRedisAdapter(this ISocketIOBuilder builder, Action<RedisAdapterOptions>? configure = null)
    {
        // Checked at host start, with the Socket.IO options: one line per bad value, before Kestrel binds.
        var options = builder.Services.AddOptions<RedisAdapterOptions>().BindConfigurationChecked(ConfigurationSection);
        builder.Services.AddSettingsValidator<RedisAdapterOptions, RedisAdapterOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        builder.Services.AddSingleton<RedisAdapterFactory>();
        builder.Services.AddSingleton<ISocketIOAdapterFactory>(s => s.GetRequiredService<RedisAdapterFactory>());
        return builder;
    }
}
