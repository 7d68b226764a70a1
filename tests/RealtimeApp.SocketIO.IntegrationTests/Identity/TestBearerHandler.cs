using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// Signs in <c>Authorization: Bearer &lt;name&gt;</c> as user <c>id-&lt;name&gt;</c> named <c>&lt;name&gt;</c>
/// (a name ending in <c>-admin</c> also gets the role <c>admin</c>); no header, nobody. A unit of the test, not
/// a security scheme.
/// </summary>
internal sealed class TestBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestBearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var name = header["Bearer ".Length..];
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "id-" + name), new(ClaimTypes.Name, name) };
        if (name.EndsWith("-admin", StringComparison.Ordinal))
        {
            claims.Add(new Claim(ClaimTypes.Role, "admin"));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
