using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>Registers Engine.IO services.</summary>
public static class EngineIOServiceCollectionExtensions
{
    /// <summary>Registers the default <see cref="EngineIOOptions"/> for every <c>MapEngineIO</c> endpoint.</summary>
    public static IServiceCollection AddEngineIO(this IServiceCollection services, Action<EngineIOOptions>? configure = null)
    {
        var options = services.AddOptions<EngineIOOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
