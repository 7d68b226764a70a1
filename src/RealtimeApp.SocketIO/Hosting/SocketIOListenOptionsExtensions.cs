using Microsoft.AspNetCore.Server.Kestrel.Core;
using RealtimeApp.SocketIO.EngineIO.Transports.Handoff;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Kestrel listener settings for Socket.IO / Engine.IO endpoints.</summary>
public static class SocketIOListenOptionsExtensions
{
    /// <summary>
    /// Lets Engine.IO WebSockets accepted on this listener leave Kestrel's HTTP/1.1 layer after their upgrade
    /// request: the request still goes through the whole pipeline (CORS, authentication, authorization, rate
    /// limits, the engine's checks), then the engine writes the 101, the request ends, and the WebSocket runs on
    /// the connection itself. An idle connection then holds ~5 KB less (no HttpContext, header collections or
    /// HTTP connection state under it). Everything else on the listener (other endpoints, polling, SignalR, a
    /// compressed WebSocket when <c>PerMessageDeflate</c> is on) is served as before.
    /// </summary>
    /// <remarks>
    /// Call it after <c>UseHttps</c> when both are set on one listener (a TLS layer added after it sits between
    /// and the handoff stands aside). A handed-off WebSocket no longer counts towards Kestrel's
    /// <c>MaxConcurrentUpgradedConnections</c> (the engine's <c>MaxSessions</c> still applies), and its request
    /// ends at once in request logs and traces.
    /// </remarks>
    public static ListenOptions UseSocketIOConnectionHandoff(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => connection => ConnectionHandoff.RunAsync(connection, next));
        return listenOptions;
    }
}
