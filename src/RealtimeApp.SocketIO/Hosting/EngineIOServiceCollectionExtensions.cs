using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Engine.IO services.</summary>
public static class EngineIOServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default <see cref="EngineIOOptions"/> for every <c>MapEngineIO</c> endpoint, the graceful
    /// shutdown drain and the <c>RealtimeApp.SocketIO</c> meter.
    /// </summary>
    public static IServiceCollection AddEngineIO(this IServiceCollection services, Action<EngineIOOptions>? configure = null)
    {
        var options = services.AddOptions<EngineIOOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        // Checked at host start; MapEngineIO checks its own copy again after its configure callback.
        services.AddSettingsValidator<EngineIOOptions, EngineIOOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        if (!services.Any(d => d.ServiceType == typeof(EngineEndpoints)))
        {
            services.AddSingleton<EngineEndpoints>();
            services.AddMetrics();
            services.AddSingleton<SocketIOMetrics>();
            // The graceful drain at shutdown (see SocketIOShutdownService for the order of things).
            services.AddHostedService<SocketIOShutdownService>();
        }
        return services;
    }
}
