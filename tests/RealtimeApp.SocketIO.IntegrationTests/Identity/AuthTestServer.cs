using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 with ASP.NET Core authentication (<see cref="TestBearerHandler"/>, the default
/// scheme) and authorization in front of <c>MapSocketIO()</c>, for what the app decides: services (policies,
/// CORS, a cookie scheme), middleware before the endpoint (e.g. <c>UseCors</c>, endpoints such as a sign-in),
/// conventions on the Socket.IO endpoint (<c>RequireAuthorization</c>, <c>RequireCors</c>) and namespaces.
/// Every namespace in <paramref name="namespaces"/> of <see cref="StartAsync"/> answers <c>whoami</c>.
/// </summary>
internal sealed class AuthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AuthTestServer(WebApplication app, SocketIOServer io, Uri baseAddress)
    {
        _app = app;
        Io = io;
        BaseAddress = baseAddress;
    }

    public SocketIOServer Io { get; }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AuthTestServer> StartAsync(
        Action<WebApplicationBuilder>? services = null,
        Action<WebApplication>? middleware = null,
        Action<EngineIOEndpointConventionBuilder>? endpoint = null,
        string[]? namespaces = null,
        Action<SocketIOServer>? configure = null,
        Action<SocketIOOptions>? options = null,
        bool addAuthorization = true,
        Action<EngineIOOptions>? engine = null,
        TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Services.AddAuthentication(TestBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestBearerHandler>(TestBearerHandler.SchemeName, null);
        if (addAuthorization)
        {
            builder.Services.AddAuthorization();
        }
        builder.Services.AddSocketIO(o => options?.Invoke(o), e =>
        {
            e.PingInterval = TimeSpan.FromMilliseconds(300);
            e.PingTimeout = TimeSpan.FromSeconds(2);
            e.DrainTimeout = TimeSpan.FromSeconds(1);
            engine?.Invoke(e);
        });
        if (time is not null)
        {
            builder.Services.AddSingleton(time); // the last registration wins over AddEngineIO's TryAdd of the system clock
        }
        services?.Invoke(builder);
        var app = builder.Build();
        middleware?.Invoke(app);
        app.UseAuthentication();
        if (addAuthorization)
        {
            app.UseAuthorization();
        }
        var mapped = app.MapSocketIO();
        endpoint?.Invoke(mapped);
        var io = app.Services.GetRequiredService<SocketIOServer>();
        foreach (var name in namespaces ?? ["/"])
        {
            io.Of(name).OnConnection(socket => socket.On("whoami", e => e.Ack?.Send(new Dictionary<string, object?>
            {
                ["nsp"] = socket.Namespace.Name,
                ["authenticated"] = socket.User.Identity?.IsAuthenticated == true,
                ["name"] = socket.User.Identity?.Name,
                ["userId"] = socket.UserId,
                ["rooms"] = socket.Rooms.Where(r => r != socket.Id).Order().ToArray(),
            })));
        }
        configure?.Invoke(io);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new AuthTestServer(app, io, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
