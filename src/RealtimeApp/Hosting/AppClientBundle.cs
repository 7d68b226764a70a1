using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO;

namespace RealtimeApp.Hosting;

/// <summary>
/// <c>GET /socket.io-client.js</c>: the official client bundle that speaks the server's parser
/// (<c>SocketIO:Parser</c>), so the page needs no change when an operator switches to msgpack: a redirect to
/// <c>/socket.io/socket.io.min.js</c> (JSON) or <c>/socket.io/socket.io.msgpack.min.js</c>, both served by the library.
/// </summary>
internal static class AppClientBundle
{
    public const string Path = "/socket.io-client.js";

    public static IEndpointRouteBuilder MapClientBundle(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (IOptions<SocketIOOptions> options) => Results.Redirect(BundleFor(options.Value.Parser)))
            .ExcludeFromDescription();
        return app;
    }

    internal static string BundleFor(SocketIOParser parser) => parser == SocketIOParser.MsgPack
        ? "/socket.io/socket.io.msgpack.min.js"
        : "/socket.io/socket.io.min.js";
}
