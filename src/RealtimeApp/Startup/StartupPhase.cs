namespace RealtimeApp.Startup;

/// <summary>
/// The moments of opening the TCP listener that the trace records. Each one is observed by a real
/// framework hook (see <see cref="StartupPhases"/> for the hook, the .NET frame and the Python ancestor).
/// </summary>
public enum StartupPhase
{
    Run,
    HostStart,
    ServerStart,
    Bind,
    BindFailed,
    Listen,
    Serve,
    FirstAccept,
    Accept,
    Ready,
    Stopping,
    Unbind,
    AcceptLoopEnded,
    Stopped,
}

/// <summary>What a phase means on both sides: the .NET frame that really does it and its Python counterpart.</summary>
/// <param name="Name">Stable kebab-case name used in logs, JSON and tests.</param>
/// <param name="EventId">Stable log event id (one per phase, so a log query has one key).</param>
/// <param name="Step">Position in the report's numbered chain (1..<see cref="StartupPhases.StepCount"/>).</param>
/// <param name="Dotnet">The ASP.NET Core / Kestrel frame in which the moment happens.</param>
/// <param name="Python">The Flask-SocketIO / werkzeug / socketserver frame that did the same.</param>
/// <param name="Depth">Depth of <paramref name="Python"/> in the report's call hierarchy, for indenting.</param>
public sealed record StartupPhaseInfo(string Name, int EventId, int Step, string Dotnet, string Python, int Depth);

/// <summary>
/// The static map from phase to labels. The labels are metadata; whether and when a phase happened
/// comes only from the hooks in this folder.
/// </summary>
public static class StartupPhases
{
    /// <summary>Number of steps in the report's chain (run … ready/stopping/stopped).</summary>
    public const int StepCount = 7;

    private static readonly StartupPhaseInfo[] Table =
    [
        new("run", 1010, 1,
            "WebApplication.Run -> HostingAbstractionsHostExtensions.Run(IHost)",
            "socketio.run(app) -> Flask.run", 0),
        new("host-start", 1011, 2,
            "Host.StartAsync (IHostedLifecycleService.StartingAsync)",
            "werkzeug.serving.run_simple", 1),
        new("server-start", 1020, 3,
            "GenericWebHostService.StartAsync -> KestrelServerImpl.StartAsync",
            "make_server -> BaseWSGIServer.__init__ -> HTTPServer.__init__ -> TCPServer.__init__", 2),
        new("bind", 1030, 4,
            "SocketConnectionListener.Bind -> SocketTransportOptions.CreateBoundListenSocket -> Socket.Bind",
            "TCPServer.server_bind -> socket.bind", 3),
        new("bind-failed", 1031, 4,
            "SocketTransportOptions.CreateBoundListenSocket -> Socket.Bind threw SocketException",
            "TCPServer.server_bind -> socket.bind raised OSError", 3),
        new("listen", 1040, 5,
            "SocketConnectionListener.Bind -> Socket.Listen(Backlog)",
            "TCPServer.server_activate -> socket.listen(request_queue_size)", 3),
        new("serve", 1050, 6,
            "ConnectionDispatcher.StartAcceptingConnections -> IConnectionListener.AcceptAsync (first call)",
            "BaseServer.serve_forever", 2),
        new("first-accept", 1051, 6,
            "SocketConnectionListener.AcceptAsync -> Socket.AcceptAsync (first connection)",
            "BaseServer._handle_request_noblock -> TCPServer.get_request -> socket.accept", 3),
        new("accept", 1052, 6,
            "SocketConnectionListener.AcceptAsync -> Socket.AcceptAsync",
            "BaseServer._handle_request_noblock -> TCPServer.get_request -> socket.accept", 3),
        new("ready", 1060, 7,
            "IHostApplicationLifetime.ApplicationStarted (after \"Now listening on\")",
            "run_simple -> BaseWSGIServer.log_startup (\" * Running on ...\")", 1),
        new("stopping", 1070, 7,
            "IHostApplicationLifetime.ApplicationStopping -> Host.StopAsync",
            "BaseServer.shutdown() / KeyboardInterrupt in serve_forever", 2),
        new("unbind", 1071, 7,
            "KestrelServerImpl.StopAsync -> TransportManager.StopAsync -> IConnectionListener.UnbindAsync",
            "BaseServer.serve_forever loop exits", 2),
        new("accept-loop-ended", 1072, 7,
            "ConnectionDispatcher accept loop: AcceptAsync returned null",
            "BaseServer.serve_forever returns", 2),
        new("stopped", 1080, 7,
            "IHostApplicationLifetime.ApplicationStopped (Host.StopAsync done)",
            "TCPServer.server_close -> socket.close", 2),
    ];

    /// <summary>The labels of one phase.</summary>
    public static StartupPhaseInfo Get(StartupPhase phase) => Table[(int)phase];
}
