using System.Collections.Frozen;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RealtimeApp.SocketIO.EngineIO;

// Cross-site WebSocket hijacking (EngineIOOptions.CheckWebSocketOrigin). A browser sends a WebSocket handshake
// from any page with that site's cookies and without CORS, so the server itself must look at Origin. Polling
// requests are left to CORS, which browsers do apply to them. The order of the checks follows what an app
// states: its own origin always, then its explicit list (as ASP.NET Core's WebSocketOptions.AllowedOrigins),
// else the CORS policy it put on the endpoint, so one RequireCors(...) covers both transports.
public sealed partial class EngineServer
{
    private FrozenSet<string>? _allowedOrigins;

    private FrozenSet<string> AllowedOrigins => _allowedOrigins ??=
        Options.AllowedOrigins.Select(o => NormalizeOrigin(o) ?? o).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a WebSocket request may go on: true, or refused (403) and logged.</summary>
    private async ValueTask<bool> AdmitWebSocketOriginAsync(HttpContext context)
    {
        if (!Options.CheckWebSocketOrigin || await IsOriginAllowedAsync(context))
        {
            return true;
        }
        var origin = context.Request.Headers.Origin.ToString();
        Log.WebSocketOriginRefused(Logger, origin, context.Connection.RemoteIpAddress);
        await RefuseAsync(context, Protocol.EngineErrorCode.Forbidden, "origin not allowed", StatusCodes.Status403Forbidden);
        return false;
    }

    private async ValueTask<bool> IsOriginAllowedAsync(HttpContext context)
    {
        var header = context.Request.Headers.Origin;
        if (header.Count == 0)
        {
            return true; // not a browser: a script or a server-side client chooses its own headers anyway
        }
        // Several Origin headers, or one that is not an http(s) origin ("null" from a sandboxed page): no site to trust.
        if (header.Count != 1 || NormalizeOrigin(header[0]) is not { } origin)
        {
            return false;
        }
        var request = context.Request;
        if (string.Equals(origin, NormalizeOrigin($"{request.Scheme}://{request.Host}"), StringComparison.OrdinalIgnoreCase))
        {
            return true; // the page came from this server, whatever port it runs on
        }
        if (Options.AllowedOrigins.Count > 0)
        {
            return AllowedOrigins.Contains(origin);
        }
        return await CorsPolicyOf(context) is { } policy && policy.IsOriginAllowed(header[0]!);
    }

    // The policy the CORS middleware applies to this endpoint: RequireCors(name) or [EnableCors] resolve through
    // ICorsPolicyProvider, RequireCors(builder => ...) carries its policy; DisableCors or nothing, none.
    private static async ValueTask<CorsPolicy?> CorsPolicyOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ICorsMetadata>() switch
        {
            IDisableCorsAttribute => null,
            ICorsPolicyMetadata metadata => metadata.Policy,
            IEnableCorsAttribute enable when context.RequestServices.GetService<ICorsPolicyProvider>() is { } provider =>
                await provider.GetPolicyAsync(context, enable.PolicyName),
            _ => null,
        };

    /// <summary>
    /// <c>scheme://host[:port]</c> in lower case without a default port or trailing slash, as browsers write
    /// Origin; null when <paramref name="origin"/> is not an http(s) origin (a path, a query or user info make
    /// it something else).
    /// </summary>
    internal static string? NormalizeOrigin(string? origin)
    {
        if (!Uri.TryCreate(origin?.TrimEnd('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }
        return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant();
    }
}
