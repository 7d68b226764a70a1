using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO;
using Serilog.Core;
using Serilog.Events;

namespace RealtimeApp.Hosting;

/// <summary>
/// The admin surface: <c>GET /debug/startup</c> (the startup trace) and <c>GET /debug/metrics</c> (live
/// counts, memory, errors logged). Both are governed by the <c>Diagnostics</c> section:
/// <list type="bullet">
/// <item><c>Diagnostics:Expose</c> (default true) — false maps neither;</item>
/// <item><c>Diagnostics:AllowedNetworks</c> (default loopback only: <c>127.0.0.0/8</c>, <c>::1/128</c>) — a
/// caller from elsewhere gets 404, as if the path did not exist. Behind a proxy the caller is the proxy
/// unless forwarded headers are configured, so the default stays closed to the outside.</item>
/// </list>
/// The same numbers are on the <c>RealtimeApp.SocketIO</c> meter for dotnet-counters / OpenTelemetry.
/// </summary>
public static class AppDiagnostics
{
    /// <summary>Configuration key that maps (true, default) or hides (false) every /debug endpoint.</summary>
    public const string ExposeKey = "Diagnostics:Expose";

    /// <summary>Configuration key listing the CIDR networks allowed to call /debug endpoints.</summary>
    public const string AllowedNetworksKey = "Diagnostics:AllowedNetworks";

    private static readonly string[] LoopbackOnly = ["127.0.0.0/8", "::1/128"];

    /// <summary>Whether the /debug endpoints are mapped at all.</summary>
    public static bool IsExposed(IConfiguration configuration) => configuration.GetValue(ExposeKey, defaultValue: true);

    /// <summary>Registers the error counter the log pipeline feeds (read by /debug/metrics).</summary>
    public static IServiceCollection AddAppDiagnostics(this IServiceCollection services)
    {
        // Checked at start: networks that parse, switches that are booleans (StartupTrace:Expose too: the
        // trace reads it from IConfiguration, and a non-boolean threw when /debug/startup was mapped).
        services.AddOptions<DiagnosticsOptions>().BindConfigurationChecked("Diagnostics");
        services.AddSettingsValidator<DiagnosticsOptions, DiagnosticsOptionsValidator>();
        services.AddOptions<StartupTraceSwitchOptions>().BindConfigurationChecked("StartupTrace");
        services.AddSettingsValidator<StartupTraceSwitchOptions, StartupTraceSwitchOptionsValidator>();
        return services.AddSingleton<LogErrorCounter>();
    }

    /// <summary>Answers 404 to /debug requests from outside <c>Diagnostics:AllowedNetworks</c>.</summary>
    public static IApplicationBuilder UseDiagnosticsAccess(this IApplicationBuilder app)
    {
        var networks = AllowedNetworks(app.ApplicationServices);
        return app.Use(async (context, next) =>
        {
            // The admin UI's page is part of the admin surface (its namespace is checked by AppAdminUI).
            if ((context.Request.Path.StartsWithSegments("/debug") || context.Request.Path.StartsWithSegments(AppAdminUI.Path))
                && !IsAllowed(context.Connection.RemoteIpAddress, networks))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
    }

    /// <summary><c>Diagnostics:AllowedNetworks</c>, or loopback only.</summary>
    internal static IPNetwork[] AllowedNetworks(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<DiagnosticsOptions>>().Value.AllowedNetworks
            .Where(n => n.Length > 0).ToArray(); // empty entries blank out appsettings.json's (see the validator)
        return (configured is { Length: > 0 } ? configured : LoopbackOnly).Select(IPNetwork.Parse).ToArray();
    }

    internal static bool IsAllowed(IPAddress? caller, IPNetwork[] networks)
    {
        if (caller is null)
        {
            return false;
        }
        // Kestrel on a dual-stack socket reports IPv4 callers as ::ffff:a.b.c.d.
        var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        return networks.Any(n => n.Contains(address));
    }

    /// <summary>Maps <c>GET /debug/metrics</c> unless <c>Diagnostics:Expose</c> is false.</summary>
    public static IEndpointRouteBuilder MapAppMetrics(this IEndpointRouteBuilder endpoints)
    {
        if (!IsExposed(endpoints.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            return endpoints;
        }
        var started = Stopwatch.GetTimestamp();
        endpoints.MapGet("/debug/metrics", (SocketIOServer io, LogErrorCounter errors) =>
        {
            using var process = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            return Results.Ok(new
            {
                socketIO = io.GetStatistics(),
                process = new
                {
                    uptimeSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1),
                    rssBytes = process.WorkingSet64,
                    gcHeapBytes = GC.GetTotalMemory(false),
                    gcCommittedBytes = gc.TotalCommittedBytes,
                    gen0Collections = GC.CollectionCount(0),
                    gen1Collections = GC.CollectionCount(1),
                    gen2Collections = GC.CollectionCount(2),
                    threads = process.Threads.Count,
                },
                errorsLogged = errors.Count,
            });
        });
        return endpoints;
    }
}

/// <summary>Counts log events at Error and above (a Serilog sink), so "no error logged" can be read from outside.</summary>
public sealed class LogErrorCounter : ILogEventSink
{
    private long _count;

    /// <summary>Errors and fatal events logged since start.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Level >= LogEventLevel.Error)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
