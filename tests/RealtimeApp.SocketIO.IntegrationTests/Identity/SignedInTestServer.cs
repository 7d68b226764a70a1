using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 with ASP.NET Core authentication in front of Socket.IO: the
/// <see cref="TestBearerHandler"/> signs in whoever sends <c>Authorization: Bearer &lt;name&gt;</c>. The main
/// namespace answers <c>whoami</c> with what the socket knows of its user, and <c>tell-user</c> emits
/// <c>for-user</c> to every socket of a user (<c>ToUser</c>), acking how many sockets the room held.
/// </summary>
internal sealed class SignedInTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SignedInTestServer(WebApplication app, SocketIOServer io, Uri baseAddress)
    {
        _app = app;
        Io = io;
        BaseAddress = baseAddress;
    }

    public SocketIOServer Io { get; }

    public Uri BaseAddress { get; }

    public static async Task<SignedInTestServer> StartAsync(Action<WebApplication>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(TestBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestBearerHandler>(TestBearerHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddSocketIO();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSocketIO();
        var io = app.Services.GetRequiredService<SocketIOServer>();
        io.Of("/").OnConnection(socket =>
        {
            socket.On("whoami", e => e.Ack?.Send(new Dictionary<string, object?>
            {
                ["authenticated"] = socket.User.Identity?.IsAuthenticated == true,
                ["name"] = socket.User.Identity?.Name,
                ["userId"] = socket.UserId,
                ["rooms"] = socket.Rooms.Where(r => r != socket.Id).Order().ToArray(),
            }));
            socket.On("tell-user", async e =>
            {
                var target = e.Arguments.Get<string>(0)!;
                var sockets = await io.Of("/").In(SocketIOServer.UserRoom(target)).FetchSocketsAsync();
                io.ToUser(target).Emit("for-user", e.Arguments.Get<string>(1));
                e.Ack?.Send(sockets.Count);
            });
        });
        configure?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SignedInTestServer(app, io, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

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
