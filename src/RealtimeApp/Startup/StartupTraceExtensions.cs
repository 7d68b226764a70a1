using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace RealtimeApp.Startup;

/// <summary>Wires the startup trace into the host and exposes it.</summary>
public static class StartupTraceExtensions
{
    /// <summary>Configuration key that turns <c>GET /debug/startup</c> on or off (default on).</summary>
    public const string ExposeKey = "StartupTrace:Expose";

    /// <summary>
    /// Registers the trace and its hooks: bind (<see cref="SocketTransportOptions.CreateBoundListenSocket"/>),
    /// listen/serve/accept/unbind (a decorated <see cref="IConnectionListenerFactory"/>), server start (an
    /// <see cref="IStartupFilter"/>) and the host lifecycle.
    /// </summary>
    /// <param name="originTimestamp">Stopwatch timestamp taken as the first statement of Program.cs.</param>
    public static IServiceCollection AddStartupTrace(this IServiceCollection services, long originTimestamp)
    {
        services.AddSingleton(sp => new StartupTrace(
            originTimestamp, sp.GetRequiredService<ILogger<StartupTrace>>(), TimeProvider.System));
        services.AddSingleton<BoundListenSockets>();
        services.AddSingleton<IPostConfigureOptions<SocketTransportOptions>, SocketBindTrace>();

        // Added, not replacing Kestrel's registration: Kestrel asks the last-registered factory first,
        // and CanBind forwarding leaves other endpoint kinds to the factories behind it.
        services.AddSingleton<IConnectionListenerFactory>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SocketTransportOptions>>();
            return new TracingConnectionListenerFactory(
                new SocketTransportFactory(options, sp.GetRequiredService<ILoggerFactory>()),
                sp.GetRequiredService<StartupTrace>(),
                sp.GetRequiredService<BoundListenSockets>(),
                options.Value.Backlog);
        });

        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, ServerStartTrace>());
        services.AddHostedService<LifecycleTrace>();
        return services;
    }

    /// <summary>
    /// Maps <c>GET /debug/startup</c>: the recorded phases, in order, as JSON. Off with
    /// <c>StartupTrace:Expose=false</c> or <c>Diagnostics:Expose=false</c>; who may call it is
    /// <c>Diagnostics:AllowedNetworks</c> (see <see cref="Hosting.AppDiagnostics"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapStartupTrace(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (configuration.GetValue(ExposeKey, defaultValue: true) && Hosting.AppDiagnostics.IsExposed(configuration))
        {
            endpoints.MapGet("/debug/startup", (StartupTrace trace) => Results.Ok(new
            {
                stepCount = StartupPhases.StepCount,
                processId = Environment.ProcessId,
                phases = trace.Snapshot(),
            }));
        }
        return endpoints;
    }

    /// <summary>
    /// Records the <c>run</c> phase at its real call site and runs the app (<c>socketio.run</c> → <c>Flask.run</c>).
    /// </summary>
    public static void RunWithStartupTrace(this WebApplication app)
    {
        var trace = app.Services.GetRequiredService<StartupTrace>();
        var requested = app.Configuration["urls"] ?? app.Configuration["http_ports"] ?? "(Kestrel default)";
        trace.Record(StartupPhase.Run, detail: $"urls {requested}",
            details: new Dictionary<string, object?> { ["RequestedUrls"] = requested });
        app.Run();
    }
}
