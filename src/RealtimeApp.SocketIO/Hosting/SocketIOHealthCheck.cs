using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// Readiness of this node's realtime endpoints: unhealthy from the moment the graceful drain begins (new
/// sessions are refused with 503 from then on), so a load balancer that probes it stops sending new
/// clients to a node that is going away while its open sessions finish.
/// </summary>
internal sealed class SocketIOHealthCheck(EngineEndpoints engines, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var io = services.GetService<SocketIOServer>(); // none in an Engine.IO-only app
        var data = new Dictionary<string, object> { ["sessions"] = engines.SessionCount };
        var draining = io?.IsShuttingDown == true || engines.Servers.Any(e => e.IsShuttingDown);
        return Task.FromResult(draining
            ? new HealthCheckResult(context.Registration.FailureStatus, "draining: shutting down, no new clients", data: data)
            : HealthCheckResult.Healthy("accepting clients", data));
    }
}
