using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.AdminUI;
using RealtimeApp.SocketIO.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the server side of the official Socket.IO Admin UI (<c>@socket.io/admin-ui</c>).</summary>
public static class SocketIOAdminUIServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SocketIOAdminUIOptions"/> from <c>SocketIO:AdminUI</c> (validated at start), then
    /// <paramref name="configure"/>; when <see cref="SocketIOAdminUIOptions.Enabled"/> the admin namespace is
    /// instrumented as the host starts (Node's <c>instrument(io, opts)</c>). Off, nothing runs and the server's
    /// observer seam stays null.
    /// </summary>
    public static ISocketIOBuilder AddSocketIOAdminUI(this ISocketIOBuilder builder, Action<SocketIOAdminUIOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SocketIOAdminUIOptions>()
            .BindConfigurationChecked(SocketIOAdminUIOptions.ConfigurationSection, static (c, o) => c.Bind(o));
        services.AddSettingsValidator<SocketIOAdminUIOptions, SocketIOAdminUIOptionsValidator>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SocketIOAdminUIService>());
        return builder;
    }
}

/// <summary>Instruments the server when the host starts (after options validation), before Kestrel accepts.</summary>
internal sealed class SocketIOAdminUIService(SocketIOServer io, IOptions<SocketIOAdminUIOptions> options) : IHostedService, IDisposable
{
    private AdminInstrumentation? _instrumentation;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            _instrumentation = new AdminInstrumentation(io, options.Value);
            _instrumentation.Start();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _instrumentation?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _instrumentation?.Dispose();
}
