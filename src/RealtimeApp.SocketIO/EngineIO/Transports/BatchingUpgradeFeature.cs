using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

/// <summary>
/// Puts a <see cref="BatchingWriteStream"/> under the WebSocket that ASP.NET Core's WebSocket middleware
/// creates: the middleware still does the handshake and framing, we only decide when bytes are flushed.
/// Installed before <c>UseWebSockets</c> in the endpoint's pipeline (the middleware reads the feature there).
/// </summary>
internal sealed class BatchingUpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    /// <summary>The stream given to the WebSocket, once upgraded.</summary>
    public BatchingWriteStream? Stream { get; private set; }

    public async Task<Stream> UpgradeAsync() => Stream = new BatchingWriteStream(await inner.UpgradeAsync());

    /// <summary>Middleware: swaps the feature in for requests that can be upgraded.</summary>
    public static Task InstallAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new BatchingUpgradeFeature(upgrade));
        }
        return next(context);
    }

    /// <summary>The batching stream under this request's WebSocket, if it was installed.</summary>
    public static BatchingWriteStream? StreamOf(HttpContext context) =>
        (context.Features.Get<IHttpUpgradeFeature>() as BatchingUpgradeFeature)?.Stream;
}
