using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// The library's meter, <c>RealtimeApp.SocketIO</c> (read it with dotnet-counters or OpenTelemetry). Every
/// instrument is observable: values are read from the servers when a listener asks, so the send path pays
/// nothing for them. Names follow the OpenTelemetry style of Kestrel's and SignalR's meters.
/// </summary>
internal sealed class SocketIOMetrics
{
    public const string MeterName = "RealtimeApp.SocketIO";

    public SocketIOMetrics(IMeterFactory meters, EngineEndpoints engines, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("engineio.sessions.active", () => engines.SessionCount, "{session}",
            "Engine.IO sessions open (or closing while their last packets go out).");
        meter.CreateObservableCounter("engineio.handshakes.refused", () => engines.RefusedHandshakes, "{handshake}",
            "Handshakes refused by MaxSessions, HandshakeRateLimit or shutdown.");

        // Resolved on first read: an Engine.IO-only app has no Socket.IO server.
        SocketIOStatistics? Read() => services.GetService<SocketIOServer>()?.GetStatistics();
        meter.CreateObservableUpDownCounter("socketio.sockets.active", () => Read()?.Sockets ?? 0, "{socket}",
            "Sockets connected, all namespaces.");
        meter.CreateObservableUpDownCounter("socketio.rooms.active", () => Read()?.Rooms ?? 0, "{room}",
            "Rooms with a member on this node (socket-id rooms included).");
        meter.CreateObservableUpDownCounter("socketio.acks.pending", () => Read()?.PendingAcks ?? 0, "{ack}",
            "Acks the server waits for from clients.");
        meter.CreateObservableUpDownCounter("socketio.handlers.running", () => Read()?.RunningHandlers ?? 0, "{handler}",
            "Event handlers and connection middlewares running.");
        meter.CreateObservableCounter("socketio.events.rate_limited", () => Read()?.RateLimitedEvents ?? 0, "{event}",
            "Events refused by EventRateLimit.");
        meter.CreateObservableCounter("socketio.limits.refused", () => Read()?.LimitRefusals ?? 0, "{operation}",
            "Operations refused by MaxNamespacesPerConnection, MaxRoomsPerSocket or MaxPendingAcksPerSocket.");
    }
}
