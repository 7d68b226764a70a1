using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeApp.Items;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO.Redis;

namespace RealtimeApp.Hosting;

/// <summary>
/// Health endpoints for orchestrators and load balancers (ASP.NET Core HealthChecks):
/// <list type="bullet">
/// <item><c>GET /health/live</c> — the process is up and serving HTTP (no dependency checked, so an outage
/// of PostgreSQL or Redis never gets a healthy process restarted); <c>GET /health</c> is the same, for the
/// image's <c>HEALTHCHECK</c>;</item>
/// <item><c>GET /health/ready</c> — the node should get new clients: the item store answers, Redis is
/// connected (when configured) and the node is not draining at shutdown. 503 otherwise, with a JSON body
/// naming each check's status.</item>
/// </list>
/// </summary>
public static class AppHealth
{
    private const string Ready = "ready";

    // A probe must answer within the balancer's own timeout even when a dependency hangs (an unreachable
    // PostgreSQL host would otherwise hold it for Npgsql's 15 s connect timeout).
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Registers the readiness checks: store, Redis (when <c>SocketIO:Redis:Configuration</c> is set), drain.</summary>
    public static IServiceCollection AddAppHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<ItemStoreHealthCheck>("store", tags: [Ready], timeout: CheckTimeout)
            .AddSocketIO(tags: [Ready]);
        if (configuration["SocketIO:Redis:Configuration"] is { Length: > 0 })
        {
            checks.AddSocketIORedis(tags: [Ready], timeout: CheckTimeout);
        }
        return services;
    }

    /// <summary>Maps <c>/health</c>, <c>/health/live</c> and <c>/health/ready</c>.</summary>
    public static IEndpointRouteBuilder MapAppHealth(this IEndpointRouteBuilder endpoints)
    {
        var live = new HealthCheckOptions { Predicate = _ => false };
        endpoints.MapHealthChecks("/health", live);
        endpoints.MapHealthChecks("/health/live", live);
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = WriteReportAsync,
        });
        return endpoints;
    }

    // {"status":"Unhealthy","checks":{"store":{"status":"Healthy","description":"…"},…}}: descriptions only,
    // never exception texts (connection strings and hosts stay out of a public answer).
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var checks = report.Entries.ToDictionary(e => e.Key, e => new
        {
            status = e.Value.Status.ToString(),
            description = e.Value.Description,
            durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
        });
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString(), checks }));
    }
}
