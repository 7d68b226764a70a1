using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the Socket.IO server in ASP.NET Core routing.</summary>
public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Socket.IO at <paramref name="path"/> (default <c>/socket.io</c>, as Node), and the client bundle
    /// under it unless <see cref="SocketIOOptions.ServeClient"/> is off. Returns the endpoints, so
    /// <c>.RequireCors(...)</c> applies CORS to every Socket.IO response and to the bundle, and
    /// <c>.RequireAuthorization(...)</c> to every Engine.IO request (not to the bundle, which stays anonymous).
    /// </summary>
    public static EngineIOEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints, string path = "/socket.io")
    {
        var server = endpoints.ServiceProvider.GetService<SocketIOServer>()
            ?? throw new InvalidOperationException(
                "Unable to find the Socket.IO services. Call builder.Services.AddSocketIO() before app.MapSocketIO().");

        var endpoint = endpoints.MapEngineIO(path, server);
        if (server.Options.ServeClient)
        {
            // Literal routes win over the Engine.IO catch-all under the same path.
            // The bundle is the public npm file, not the app's data: it stays anonymous under a
            // RequireAuthorization() on the result (a page loads it with a script tag, before or without
            // signing in; the AuthorizationMiddleware lets IAllowAnonymous win over any policy).
            var bundle = endpoints.MapGroup("/" + path.Trim('/')).AllowAnonymous();
            foreach (var file in ClientBundle.Files)
            {
                bundle.MapGet("/" + file, context => ClientBundle.ServeAsync(context, file))
                    .WithDisplayName($"Socket.IO client {file}");
            }
            endpoint = new EngineIOEndpointConventionBuilder(new EndpointConventions(endpoint, bundle), endpoint.Server);
        }

        // Shutdown (SocketIOShutdownService) drains this server with its engine endpoint.
        server.Engine = endpoint.Server;
        return endpoint;
    }
}

/// <summary>Conventions applied to several endpoint builders at once (the Engine.IO endpoint and the client bundle).</summary>
internal sealed class EndpointConventions(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
