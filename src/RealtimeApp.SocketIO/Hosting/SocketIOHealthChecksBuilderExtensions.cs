using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeApp.SocketIO.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the realtime endpoints' readiness to ASP.NET Core health checks.</summary>
public static class SocketIOHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that fails while this node drains at shutdown (see <c>EngineIOOptions.DrainTimeout</c>):
    /// tag it for the readiness endpoint, e.g. <c>services.AddHealthChecks().AddSocketIO(tags: ["ready"])</c>
    /// and <c>app.MapHealthChecks("/health/ready", new() { Predicate = c =&gt; c.Tags.Contains("ready") })</c>.
    /// </summary>
    public static IHealthChecksBuilder AddSocketIO(this IHealthChecksBuilder builder, string name = "socketio",
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddCheck<SocketIOHealthCheck>(name, failureStatus, tags ?? []);
}
