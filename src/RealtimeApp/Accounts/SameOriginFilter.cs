using Microsoft.Extensions.Options;
using RealtimeApp.Hosting;

namespace RealtimeApp.Accounts;

/// <summary>
/// CSRF defence of the state-changing account endpoints: a browser sends the sign-in cookie with any
/// request to this server, even one a page on another site makes (a form post to /account/logout, a
/// login CSRF that signs the victim into the attacker's account). Browsers say where such a request comes
/// from, so it is refused unless it comes from this origin or one the operator allowed (<c>Cors:Origins</c>):
/// <list type="bullet">
/// <item><c>Origin</c> present: it must be the request's own origin (scheme://host:port as the request arrived)
/// or listed in <c>Cors:Origins</c>; anything else (<c>null</c> included) is refused.</item>
/// <item>no <c>Origin</c>: <c>Sec-Fetch-Site: cross-site</c> is refused.</item>
/// <item>neither header: allowed. That is a script or curl, which carries no victim's ambient cookie.</item>
/// </list>
/// Behind a TLS-terminating proxy the request arrives as http while the page's origin is https: list the public
/// origin in <c>Cors:Origins</c>.
/// </summary>
internal sealed class SameOriginFilter(IOptions<AppCorsOptions> cors) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var origin = request.Headers.Origin.ToString();
        var allowed = origin.Length > 0
            ? IsOwnOrigin(request, origin) || cors.Value.Origins.Contains(origin, StringComparer.OrdinalIgnoreCase)
            : !string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase);
        return allowed
            ? await next(context)
            : Results.Json(new AccountError(AccountErrorCodes.CrossSite, "cross-site request refused"), statusCode: StatusCodes.Status403Forbidden);
    }

    private static bool IsOwnOrigin(HttpRequest request, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !request.Host.HasValue)
        {
            return false;
        }
        var secure = string.Equals(request.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
        var port = request.Host.Port ?? (secure ? 443 : 80);
        return string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host.Trim('[', ']'), request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && uri.Port == port;
    }
}
