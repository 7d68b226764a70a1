using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Transports;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts Engine.IO endpoints in ASP.NET Core routing.</summary>
public static class EngineIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Engine.IO on its own at <paramref name="path"/>, with the session callbacks set up by
    /// <paramref name="callbacks"/> (see <see cref="EngineSessionCallbacks"/>).
    /// </summary>
    public static EngineIOEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path,
        Action<EngineSessionCallbacks> callbacks, Action<EngineIOOptions>? configure = null)
    {
        var handler = new EngineSessionCallbacks();
        callbacks(handler);
        return endpoints.MapEngineIO(path, handler, configure);
    }

    /// <summary>
    /// Serves Engine.IO at <paramref name="path"/> (e.g. <c>/engine.io</c>; every request under
    /// <c>path/</c> is the endpoint's), handing sessions to <paramref name="handler"/>. Options start from
    /// those registered with <see cref="EngineIOServiceCollectionExtensions.AddEngineIO"/>, then
    /// <paramref name="configure"/>. The result is a normal endpoint: <c>.RequireCors(...)</c> applies CORS
    /// to every Engine.IO response, errors included.
    /// </summary>
    public static EngineIOEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path,
        IEngineSessionHandler handler, Action<EngineIOOptions>? configure = null)
    {
        var services = endpoints.ServiceProvider;
        var options = (services.GetService<IOptions<EngineIOOptions>>()?.Value ?? new EngineIOOptions()).Clone();
        if (configure is not null)
        {
            configure(options);
            // The per-endpoint callback runs after host start, so its values are checked here: a bad one
            // throws now, at MapEngineIO, instead of failing sessions later.
            var problems = new EngineIOOptionsValidator(services.GetService<IConfiguration>()).Problems(options);
            if (problems.Lines.Count > 0)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(EngineIOOptions), problems.Lines);
            }
        }

        var server = new EngineServer(options, handler,
            services.GetRequiredService<ILogger<EngineServer>>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System);

        // At shutdown, clients are told (queued packets flushed, then close) instead of being cut: drained
        // by SocketIOShutdownService when AddEngineIO/AddSocketIO registered it, else closed when stopping.
        if (services.GetService<EngineEndpoints>() is { } registry)
        {
            registry.Add(server);
            services.GetService<SocketIOMetrics>(); // creates the meter's instruments
        }
        else
        {
            services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(server.CloseAll);
        }

        // WebSockets are accepted inside this endpoint's own pipeline (as SignalR's MapConnections does),
        // so the app needs no UseWebSockets(). Kestrel's keep-alive pings are off: Engine.IO pings itself.
        // The batching stream goes under each WebSocket so queued frames leave in one write.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.Use(BatchingUpgradeFeature.InstallAsync);
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        pipeline.Run(server.HandleRequestAsync);

        var pattern = "/" + path.Trim('/') + "/{**engineio}";
        var builder = endpoints.Map(pattern, pipeline.Build()).WithDisplayName($"Engine.IO {path}");
        return new EngineIOEndpointConventionBuilder(builder, server);
    }
}

/// <summary>The endpoint returned by <c>MapEngineIO</c>: conventions apply as usual; <see cref="Server"/> is the live endpoint.</summary>
public sealed class EngineIOEndpointConventionBuilder(IEndpointConventionBuilder inner, EngineServer server) : IEndpointConventionBuilder
{
    /// <summary>The Engine.IO server behind this endpoint (session count, lookup, close all).</summary>
    public EngineServer Server { get; } = server;

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention) => inner.Add(convention);

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(finallyConvention);
}
