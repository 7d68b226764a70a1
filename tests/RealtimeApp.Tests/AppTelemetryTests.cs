using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests;

/// <summary>
/// The app's OpenTelemetry end to end: the built app, started with the standard OTLP variables pointing at a
/// receiver this test runs, exports the library's event activity and its meter after a real client's request.
/// </summary>
public sealed class AppTelemetryTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_the_app_exports_the_Socket_IO_traces_and_metrics()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var app = await ItemApp.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        var client = await app.ConnectAsync("otel-alice");
        var listed = await client.RequestAsync("item:list", new { });
        Assert.True(listed.GetProperty("ok").GetBoolean(), listed.GetRawText());
        // The WebSocket's HTTP request (and its span) lasts as long as the connection: end it.
        await client.DisposeAsync();

        // Span names, the instrumentation scope (the library's source), tags and the resource are protobuf
        // strings. Each export is one batch, so what is looked for together must end in the same batch.
        await collector.WaitForAsync("traces",
            "realtimeapp", "RealtimeApp.SocketIO", "event /item item:list", "socketio.event", "item:list", "socketio.ack.requested");
        await collector.WaitForAsync("traces", "RealtimeApp.SocketIO", "connect /item", "socketio.connect.result", "accepted");
        // ASP.NET Core's request spans go out too: the WebSocket handshake's, once the connection is over.
        await collector.WaitForAsync("traces", "http.request.method", "/socket.io/");

        await collector.WaitForAsync("metrics", "RealtimeApp.SocketIO", "socketio.sockets.active", "engineio.sessions.active");
    }
}
