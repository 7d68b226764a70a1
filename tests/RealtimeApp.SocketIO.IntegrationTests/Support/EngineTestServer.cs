using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 serving an Engine.IO echo endpoint at <c>/engine.io/</c>, with the
/// timings of the official protocol test suite unless a test changes them.
/// </summary>
internal sealed class EngineTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EngineTestServer(WebApplication app, EngineServer server, RecordingEchoHandler handler, Uri baseAddress)
    {
        _app = app;
        Server = server;
        Handler = handler;
        BaseAddress = baseAddress;
    }

    public EngineServer Server { get; }

    public RecordingEchoHandler Handler { get; }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    /// <summary>The endpoint URL with the given query, e.g. <c>Url("EIO=4&amp;transport=polling")</c>.</summary>
    public Uri Url(string query) => new(BaseAddress, $"/engine.io/?{query}");

    public Uri WebSocketUrl(string query) => new($"ws://{BaseAddress.Authority}/engine.io/?{query}");

    /// <param name="configure">Engine.IO options on top of the suite's timings.</param>
    /// <param name="services">Extra services (e.g. a CORS policy).</param>
    /// <param name="endpoint">Conventions for the mapped endpoint (e.g. <c>RequireCors</c>); middleware
    /// such as <c>UseCors</c> is added to the app before it.</param>
    public static async Task<EngineTestServer> StartAsync(Action<EngineIOOptions>? configure = null,
        Action<WebApplicationBuilder>? services = null,
        Action<WebApplication, EngineIOEndpointConventionBuilder>? endpoint = null, bool connectionHandoff = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseConnectionHandoffIf(connectionHandoff)));
        builder.Logging.ClearProviders();
        builder.Services.AddEngineIO(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
            o.DrainTimeout = TimeSpan.FromSeconds(1); // abandoned polling sessions must not hold disposal long
            configure?.Invoke(o);
        });
        services?.Invoke(builder);
        var app = builder.Build();
        var handler = new RecordingEchoHandler();
        var mapped = app.MapEngineIO("/engine.io", handler);
        endpoint?.Invoke(app, mapped);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var server = new EngineTestServer(app, mapped.Server, handler, new Uri(address + "/"));
        await server.WarmUpAsync();
        return server;
    }

    /// <summary>
    /// One handshake before the test starts: a cold process spends its first few hundred milliseconds in
    /// the JIT, which would otherwise land inside the 300/200 ms heartbeat windows under test.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var http = new HttpClient();
        var open = await http.GetStringAsync(Url("EIO=4&transport=polling"));
        var sid = System.Text.Json.JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        Server.TryGetSession(sid, out var session);
        session.Close();
        // The close packet's poll; on a slow first run the close timeout (300 ms in some tests) may have
        // forgotten the session already (400, unknown sid). Either way the path is warm.
        using (await http.GetAsync(Url($"EIO=4&transport=polling&sid={sid}")))
        {
        }
        while (Server.SessionCount > 0)
        {
            await Task.Delay(5);
        }
        Handler.Closed.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
