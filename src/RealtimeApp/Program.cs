using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using RealtimeApp.Accounts;
using RealtimeApp.Hosting;
using RealtimeApp.Items;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.Startup;
using Serilog;

// The startup trace's zero: every phase's ElapsedMs is measured from here.
var origin = Stopwatch.GetTimestamp();
Log.Logger = AppLogging.CreateBootstrapLogger(args);
WebApplication? app = null;

try
{
    var builder = WebApplication.CreateBuilder(args);

    // Logging and the startup trace (bind / listen / serve from Kestrel's own hooks)
    builder.AddAppLogging();
    builder.Services.AddStartupTrace(origin);
    builder.AddAppTelemetry(); // OpenTelemetry over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set

    // Health: /health/live for Docker's HEALTHCHECK, /health/ready (store, Redis, drain) for load balancers
    builder.Services.AddAppHealth(builder.Configuration);

    // Realtime: Socket.IO (options from the "SocketIO" section), browsers allowed by Cors:Origins. With
    // SocketIO:Redis:Configuration set, the nodes of a cluster share broadcasts through Redis.
    var socketIO = builder.Services.AddSocketIO();
    // Each board WebSocket leaves Kestrel's HTTP layer once its upgrade request has passed the pipeline
    // (~5 KB less per idle connection). Endpoint defaults: every URL endpoint, plain HTTP (a TLS endpoint's
    // own layer comes after it, and the handoff stands aside there).
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseSocketIOConnectionHandoff()));
    if (builder.Configuration["SocketIO:Redis:Configuration"] is { Length: > 0 })
    {
        socketIO.AddRedisAdapter();
    }
    // The Socket.IO Admin UI (SocketIO:AdminUI:Enabled): its namespace here, its page at /admin-ui/ below
    socketIO.AddAppAdminUI(builder.Configuration);
    builder.Services.AddAppCors(builder.Configuration);

    // The /item board: store per Items:Store (SQLite by default, PostgreSQL for several nodes) at
    // ConnectionStrings:Items, rules (Items section)
    builder.Services.AddItems(builder.Configuration);

    // Accounts: ASP.NET Core Identity (cookie + bearer tokens) on the items' database, data-protection keys
    // beside them; /item's create, bid and close act as the signed-in account
    builder.Services.AddAccounts(builder.Configuration);

    app = builder.Build();
    // Every setting is checked here, all at once, before anything reads it: a bad one ends the start in the
    // catch below (one line each, exit code 2) and no socket is ever bound.
    SettingsRefusal.ValidateAll(app.Services);

    app.UseAppRequestLogging();
    app.UseDiagnosticsAccess();
    app.UseDefaultFiles();
    app.UseStaticFiles();
    app.UseCors();
    // Before MapSocketIO: the engine handshake's HttpContext.User becomes the socket's user.
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapAppHealth();
    app.MapSocketIO("/socket.io").RequireCors(AppCors.Policy);
    app.MapClientBundle();
    app.MapItems();
    app.MapAccounts();
    app.MapStartupTrace();
    app.MapAppMetrics();
    app.MapAppAdminUI();

    app.RunWithStartupTrace();
    return 0;
}
catch (IOException ex) when (ex.InnerException is AddressInUseException)
{
    // The bind-failed phase has already said which address; one clear line, no stack trace.
    LogFatal(app, "Cannot start: {Reason}", ex.Message);
    return 2;
}
catch (Exception ex) when (SettingsRefusal.Problems(ex, app?.Configuration) is { Count: > 0 } problems)
{
    foreach (var problem in problems)
    {
        LogFatal(app, "Invalid setting: {Setting:l}", problem);
    }
    return SettingsRefusal.ExitCode;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    LogFatal(app, "Cannot start: {Reason}", ex.ToString());
    return 1;
}
finally
{
    Log.CloseAndFlush();
}

// After Build() the host's own (configured) logger says it; before, the bootstrap console logger.
static void LogFatal(WebApplication? app, string template, string reason)
{
    if (app is not null)
    {
        app.Logger.LogCritical(template, reason);
    }
    else
    {
        Log.Fatal(template, reason);
    }
}
