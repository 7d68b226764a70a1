using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Diagnostics;

/// <summary>
/// A socket's life in the log, one structured line per moment, as a sink receives them: connected,
/// disconnected with its reason, a join refused by a middleware, by an unknown namespace and by an operator's
/// limit, and a handshake refused by MaxSessions; each at the level the library documents.
/// </summary>
public sealed class LifecycleLogTests
{
    [Fact]
    public async Task Connect_disconnect_and_refusals_are_one_structured_line_each()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await SocketIOTestServer.StartAsync(
            configure: o => o.MaxNamespacesPerConnection = 1,
            configureEngine: e => e.MaxSessions = 2,
            socketIO: b => b.Services.AddLogging(l => l.AddProvider(logs).AddFilter("RealtimeApp.SocketIO", LogLevel.Debug)));

        await using var first = await SocketIORawClient.OpenAsync(server);
        var (_, socketId) = await first.ConnectNamespaceAsync("/custom");
        await first.SendTextAsync("40/nowhere,");
        Assert.Equal("""44/nowhere,{"message":"Invalid namespace"}""", await first.ReceiveTextAsync());
        await first.SendTextAsync("40/private,");
        Assert.Equal("""44/private,{"message":"namespace limit reached"}""", await first.ReceiveTextAsync());

        await using var second = await SocketIORawClient.OpenAsync(server);
        await second.SendTextAsync("40/private,");
        Assert.Equal("""44/private,{"message":"unauthorized","data":{"code":401}}""", await second.ReceiveTextAsync());

        using var http = new HttpClient();
        var refused = await http.GetAsync(new Uri(server.BaseAddress, "/socket.io/?EIO=4&transport=polling"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        await first.SendTextAsync("41/custom,");
        Assert.Equal(DisconnectReason.ClientNamespaceDisconnect, await server.WaitForDisconnectAsync(socketId));

        CapturedLog Line(string eventName, Func<CapturedLog, bool> match) =>
            Assert.Single(logs.Events, e => e.EventName == eventName && match(e));
        await SocketIOTestServer.WaitUntilAsync(() => logs.Events.Any(e => e.EventName == "SocketDisconnected"),
            "the disconnect line");

        var connected = Line("SocketConnected", e => e.Value("SocketId") == socketId);
        Assert.Equal(LogLevel.Debug, connected.Level);
        Assert.Equal("RealtimeApp.SocketIO.SocketIOServer", connected.Category);
        Assert.Equal("/custom", connected.Value("Namespace"));
        Assert.Equal(first.EngineSid, connected.Value("Sid"));
        Assert.Equal("WebSocket", connected.Value("Transport"));
        Assert.Equal("127.0.0.1", connected.Value("RemoteAddress"));

        var disconnected = Line("SocketDisconnected", e => e.Value("SocketId") == socketId);
        Assert.Equal(LogLevel.Debug, disconnected.Level);
        Assert.Equal("/custom", disconnected.Value("Namespace"));
        Assert.Equal("client namespace disconnect", disconnected.Value("Reason"));

        var invalid = Line("ConnectRefused", e => e.Value("Namespace") == "/nowhere");
        Assert.Equal(LogLevel.Debug, invalid.Level);
        Assert.Equal("InvalidNamespace", invalid.Value("Cause"));
        Assert.Equal(first.EngineSid, invalid.Value("Sid"));

        var byLimit = Line("ConnectRefused", e => e.Value("Sid") == first.EngineSid && e.Value("Namespace") == "/private");
        Assert.Equal(LogLevel.Information, byLimit.Level);
        Assert.Equal("MaxNamespacesPerConnection", byLimit.Value("Cause"));
        Assert.Equal("namespace limit reached", byLimit.Value("Message"));

        var byMiddleware = Line("ConnectRefused", e => e.Value("Sid") == second.EngineSid);
        Assert.Equal(LogLevel.Debug, byMiddleware.Level);
        Assert.Equal("Middleware", byMiddleware.Value("Cause"));
        Assert.Equal("unauthorized", byMiddleware.Value("Message"));

        var handshake = Line("HandshakeRefused", _ => true);
        Assert.Equal(LogLevel.Warning, handshake.Level);
        Assert.Equal("RealtimeApp.SocketIO.EngineIO.EngineServer", handshake.Category);
        Assert.Equal("MaxSessions", handshake.Value("Limit"));
        Assert.Equal("503", handshake.Value("StatusCode"));
        Assert.Equal("Too many sessions", handshake.Value("Message"));
        Assert.Equal("127.0.0.1", handshake.Value("RemoteAddress"));
        // One line per refusal: not also the protocol-level RequestRefused one.
        Assert.DoesNotContain(logs.Events, e => e.EventName == "RequestRefused");
    }
}
