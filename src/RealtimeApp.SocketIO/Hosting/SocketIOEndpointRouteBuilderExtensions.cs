using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RealtimeApp.SocketIO.SocketIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>Mounts the Socket.IO server in ASP.NET Core routing.</summary>
public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Socket.IO at <paramref name="path"/> (default <c>/socket.io</c>, as Node). Returns the
    /// endpoint, so <c>.RequireCors(...)</c> applies CORS to every Socket.IO response.
    /// </summary>
    public static EngineIOEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints, string path = "/socket.io")
    {
        var server = endpoints.ServiceProvider.GetService<SocketIOServer>()
            ?? throw new InvalidOperationException(
                "Unable to find the Socket.IO services. Call builder.Services.AddSocketIO() before app.MapSocketIO().");

        var endpoint = endpoints.MapEngineIO(path, server);

        // Registered after MapEngineIO's own, so it runs first at shutdown: sockets leave with
        // "server shutting down" before the engine closes their sessions.
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(server.Close);
        return endpoint;
    }
}
