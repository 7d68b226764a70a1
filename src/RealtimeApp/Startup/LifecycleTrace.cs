using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RealtimeApp.Startup;

/// <summary>
/// Host-level moments. <see cref="StartingAsync"/> runs inside <c>Host.StartAsync</c> before any hosted
/// service starts (werkzeug's <c>run_simple</c>); the <see cref="IHostApplicationLifetime"/> callbacks give
/// ready (after Kestrel started and "Now listening on" was logged), stopping and stopped.
/// </summary>
internal sealed class LifecycleTrace(StartupTrace trace, IHostApplicationLifetime lifetime, IServer server)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        trace.Record(StartupPhase.HostStart, detail: "host starting its hosted services; Kestrel starts last");
        lifetime.ApplicationStarted.Register(OnStarted);
        lifetime.ApplicationStopping.Register(() => trace.Record(StartupPhase.Stopping, detail: "stop requested"));
        lifetime.ApplicationStopped.Register(() => trace.Record(StartupPhase.Stopped, detail: "host stopped"));
        return Task.CompletedTask;
    }

    private void OnStarted()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var sockets = trace.Snapshot().Count(e => e.Phase == StartupPhases.Get(StartupPhase.Listen).Name);
        trace.Record(StartupPhase.Ready, string.Join(", ", addresses), $"{sockets} listening socket(s)",
            new Dictionary<string, object?> { ["Addresses"] = addresses, ["ListeningSockets"] = sockets });
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
