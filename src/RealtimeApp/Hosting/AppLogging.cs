using Microsoft.AspNetCore.Connections;
using RealtimeApp.SocketIO.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RealtimeApp.Hosting;

/// <summary>
/// Serilog for the app: levels and enrichers from the <c>Serilog</c> section of appsettings.json,
/// a readable console by default and compact JSON (CLEF) when <c>Logging:Format</c> is <c>json</c>
/// (also as the environment variable <c>Logging__Format=json</c> or <c>--Logging:Format=json</c>).
/// </summary>
public static class AppLogging
{
    /// <summary>Configuration key choosing the console format: <c>text</c> (default) or <c>json</c>.</summary>
    public const string FormatKey = "Logging:Format";

    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A console logger for the few lines written before the host (and its configuration) exists,
    /// e.g. an unreadable appsettings.json. It honours the format switch from environment and arguments.
    /// </summary>
    public static Serilog.ILogger CreateBootstrapLogger(string[] args)
    {
        var early = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        return WriteToConsole(new LoggerConfiguration().MinimumLevel.Information(), early).CreateLogger();
    }

    /// <summary>Replaces the default logging providers with Serilog configured from appsettings.json.</summary>
    public static WebApplicationBuilder AddAppLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger: each host owns its logger (disposed with it), so several hosts in one
        // test process never share or freeze a static one.
        builder.Services.AddAppDiagnostics();
        builder.Services.AddOptions<AppLoggingOptions>().BindConfigurationChecked("Logging");
        builder.Services.AddSettingsValidator<AppLoggingOptions, AppLoggingOptionsValidator>();
        builder.Services.AddSerilog(
            (services, lc) => WriteToConsole(
                lc.ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Filter.ByExcluding(IsPortInUseStackDump)
                    .WriteTo.Sink(services.GetRequiredService<LogErrorCounter>()),
                builder.Configuration),
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// Request logging, with Socket.IO polls and health probes demoted to Debug: long-polling turns every
    /// poll into an HTTP request and would drown the log at Information. A 503 or 429 is the server's own
    /// limits shedding load (too many sessions, handshake rate, shutting down): a warning, not an error.
    /// </summary>
    public static IApplicationBuilder UseAppRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options => options.GetLevel = (context, _, exception) =>
            exception is not null ? LogEventLevel.Error
            : context.Response.StatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests ? LogEventLevel.Warning
            : context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : context.Request.Path.StartsWithSegments("/socket.io") || context.Request.Path.StartsWithSegments("/health")
                ? LogEventLevel.Debug
                : LogEventLevel.Information);

    /// <summary>
    /// The generic host logs a failed start with the whole exception. For a port already in use the
    /// trace's bind-failed line and Program's one-line fatal message already say which address and
    /// why, so the 40-line stack trace is only noise an operator has to scroll past.
    /// </summary>
    private static bool IsPortInUseStackDump(LogEvent logEvent) =>
        logEvent.Exception is IOException { InnerException: AddressInUseException }
        && logEvent.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" };

    private static LoggerConfiguration WriteToConsole(LoggerConfiguration lc, IConfiguration configuration) =>
        string.Equals(configuration[FormatKey], "json", StringComparison.OrdinalIgnoreCase)
            ? lc.WriteTo.Console(new CompactJsonFormatter())
            : lc.WriteTo.Console(outputTemplate: TextTemplate);
}
