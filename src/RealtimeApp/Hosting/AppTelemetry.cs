using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RealtimeApp.SocketIO.Diagnostics;

namespace RealtimeApp.Hosting;

/// <summary>
/// OpenTelemetry for the app, on only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (environment,
/// or any configuration source): traces of ASP.NET Core's requests and of the Socket.IO library
/// (<see cref="SocketIOActivities.SourceName"/>), metrics of ASP.NET Core / Kestrel and of the library's meter,
/// both exported over OTLP. The exporter reads the other standard variables itself
/// (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_BSP_SCHEDULE_DELAY</c>, …).
/// Without the endpoint nothing of OpenTelemetry is registered, so no listener is attached and the library's
/// tracing costs nothing.
/// </summary>
public static class AppTelemetry
{
    /// <summary>The variable that turns it on, e.g. <c>http://collector:4318</c> (with <c>http/protobuf</c>) or <c>:4317</c> (gRPC).</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable naming the service; <see cref="DefaultServiceName"/> when unset.</summary>
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> is unset.</summary>
    public const string DefaultServiceName = "realtimeapp";

    // The library's meter (SocketIOMetrics.MeterName, internal to the library), named like its activity source.
    private const string SocketIOMeterName = "RealtimeApp.SocketIO";

    /// <summary>Registers tracing and metrics exported over OTLP when <see cref="EndpointKey"/> is set; otherwise nothing.</summary>
    public static WebApplicationBuilder AddAppTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointKey]))
        {
            return builder;
        }
        // Read here rather than left to the SDK's environment detector: AddService would override it.
        var serviceName = builder.Configuration[ServiceNameKey] is { Length: > 0 } name ? name : DefaultServiceName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(SocketIOActivities.SourceName)
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(SocketIOMeterName)
                .AddOtlpExporter());
        return builder;
    }
}
