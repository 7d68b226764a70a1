using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// Whether this node is joined to its cluster: the adapter's Redis connection is up and answers a PING.
/// While it is not, the node still serves its own clients, but broadcasts from and to the other nodes are
/// lost (the adapter drops rather than queues), so it should not take new clients.
/// </summary>
internal sealed class RedisAdapterHealthCheck(RedisAdapterFactory adapters) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var redis = adapters.Redis;
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected");
        }
        try
        {
            var clock = Stopwatch.StartNew();
            await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("Redis answers",
                new Dictionary<string, object> { ["pingMs"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1) });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The description only: the exception text names endpoints, and health answers may be public.
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer a PING");
        }
    }
}
