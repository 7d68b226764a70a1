using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Socket.IO server.</summary>
public static class SocketIOServiceCollectionExtensions
{
    /// <summary>The configuration section both option sets are bound from.</summary>
    public const string ConfigurationSection = "SocketIO";

    /// <summary>
    /// Registers <see cref="SocketIOServer"/> (a singleton to inject wherever you emit), with
    /// <see cref="SocketIOOptions"/> and <see cref="EngineIOOptions"/> bound from the <c>SocketIO</c>
    /// configuration section, then <paramref name="configure"/>.
    /// </summary>
    public static ISocketIOBuilder AddSocketIO(this IServiceCollection services, Action<SocketIOOptions>? configure = null,
        Action<EngineIOOptions>? configureEngine = null)
    {
        // Validated when the host starts (before Kestrel binds): a bad value stops the app with one line per
        // problem naming the key, instead of failing every session later. See SocketIOOptionsValidator.
        services.AddOptions<SocketIOOptions>().BindConfigurationChecked(ConfigurationSection, static (c, o) => c.Bind(o));
        services.AddOptions<EngineIOOptions>().BindConfigurationChecked(ConfigurationSection, static (c, o) => c.Bind(o));
        services.AddSettingsValidator<SocketIOOptions, SocketIOOptionsValidator>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.AddEngineIO(configureEngine);
        services.TryAddSingleton<SocketIOServer>();
        return new SocketIOBuilder(services);
    }
}

/// <summary>Chaining point of <c>AddSocketIO</c> (namespaces now; adapters such as Redis later).</summary>
public interface ISocketIOBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

internal sealed record SocketIOBuilder(IServiceCollection Services) : ISocketIOBuilder;
