using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// The graceful shutdown (SIGTERM, Ctrl+C, <c>StopAsync</c>). It runs in <c>StoppingAsync</c>, which the
/// host calls before any hosted service's <c>StopAsync</c> — so before Kestrel stops and aborts the
/// WebSockets it still holds. In order, within <see cref="EngineIOOptions.DrainTimeout"/>:
/// <list type="number">
/// <item>refuse new sessions (503), new namespace joins and new events; tell every socket
/// (<see cref="SocketIOOptions.ShutdownEvent"/>);</item>
/// <item>wait for the event handlers already running, so their writes and acks complete;</item>
/// <item>disconnect every socket ("server shutting down") and close the sessions, queued packets first;</item>
/// <item>wait until every session has gone (its last packets delivered, or its transport gone).</item>
/// </list>
/// Whatever is still open at the deadline is left to Kestrel's own shutdown, which aborts it.
/// </summary>
internal sealed class SocketIOShutdownService(IServiceProvider services, EngineEndpoints engines,
    ILogger<SocketIOShutdownService> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (engines.Servers.Count == 0)
        {
            return;
        }
        // The Socket.IO server only if the app registered one (an Engine.IO-only app has none).
        var io = services.GetService<SocketIOServer>();
        var drain = engines.Servers.Max(e => e.Options.DrainTimeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(drain);

        var sessions = engines.SessionCount;
        foreach (var engine in engines.Servers)
        {
            engine.BeginShutdown();
        }
        io?.BeginShutdown();
        var handlersDone = await WaitAsync(() => io is null || io.RunningHandlers == 0, deadline.Token);

        io?.CloseAll();
        foreach (var engine in engines.Servers)
        {
            engine.CloseAll();
        }
        var sessionsDone = await WaitAsync(() => engines.SessionCount == 0, deadline.Token);

        logger.LogInformation(
            "Socket.IO drained at shutdown: {Sessions} sessions told and closed; handlers finished: {HandlersDone}; sessions flushed: {SessionsDone} ({Left} left to abort)",
            sessions, handlersDone, sessionsDone, engines.SessionCount);
    }

    // Polling: this runs once per process lifetime, and the counts it waits on have no change events.
    private static async Task<bool> WaitAsync(Func<bool> done, CancellationToken deadline)
    {
        while (!done())
        {
            try
            {
                await Task.Delay(20, deadline);
            }
            catch (OperationCanceledException)
            {
                return done();
            }
        }
        return true;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
