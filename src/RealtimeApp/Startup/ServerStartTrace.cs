namespace RealtimeApp.Startup;

/// <summary>
/// The server-start hook. <c>GenericWebHostService.StartAsync</c> applies the startup filters while it
/// builds the request pipeline, immediately before it calls <c>IServer.StartAsync</c> (Kestrel's
/// <c>KestrelServerImpl.StartAsync</c>, where the binds happen). Registered first, this filter is the
/// outermost one, so its code after <c>next(app)</c> is the last thing before the server starts.
/// </summary>
internal sealed class ServerStartTrace(StartupTrace trace) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        trace.Record(StartupPhase.ServerStart, detail: "pipeline built; IServer.StartAsync follows");
    };
}
