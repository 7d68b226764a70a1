using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeApp.SocketIO.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redis adapter's connection to ASP.NET Core health checks.</summary>
public static class RedisAdapterHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that fails while the Redis adapter (registered by <c>AddRedisAdapter</c>) is not connected
    /// to Redis; tag it for the readiness endpoint, e.g. <c>.AddSocketIORedis(tags: ["ready"])</c>.
    /// </summary>
    public static IHealthChecksBuilder AddSocketIORedis(this IHealthChecksBuilder builder, string name = "redis",
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddCheck<RedisAdapterHealthCheck>(name, failureStatus, tags ?? [], timeout);
}
