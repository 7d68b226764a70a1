using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// <see cref="SocketIOOptions.CloseOnAuthenticationExpiration"/>: with ASP.NET Core's cookie handler issuing a
/// 2 s ticket, the official Node client (signed in by that cookie, two namespaces on one connection) gets
/// <c>auth_expired</c> then <c>disconnect</c> with <c>"io server disconnect"</c> on each, and does not
/// reconnect; the server sees "authentication expired". Off, nothing happens. On a fake clock, the expiry
/// moves with the server's TimeProvider only.
/// </summary>
public sealed class AuthenticationExpiryTests
{
    private const string Cookies = "Cookies";

    private static Task<AuthTestServer> StartWithCookieAsync(bool closeOnExpiration, ConcurrentQueue<DisconnectReason> reasons) =>
        AuthTestServer.StartAsync(
            services: b =>
            {
                b.Services.AddAuthentication().AddCookie(Cookies, o =>
                {
                    o.ExpireTimeSpan = TimeSpan.FromSeconds(2);
                    o.SlidingExpiration = false;
                });
                b.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = Cookies);
            },
            middleware: app => app.MapPost("/signin", (HttpContext context, string name) => context.SignInAsync(Cookies,
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "id-" + name), new Claim(ClaimTypes.Name, name)], Cookies)))),
            namespaces: ["/", "/other"],
            options: o => o.CloseOnAuthenticationExpiration = closeOnExpiration,
            configure: io =>
            {
                foreach (var nsp in new[] { "/", "/other" })
                {
                    io.Of(nsp).OnConnection(socket => socket.Disconnected += (_, reason) => reasons.Enqueue(reason));
                }
            });

    private static async Task<NodeRun> RunSignedInAsync(AuthTestServer server, string transports, int watchMs)
    {
        var run = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), transports,
            JsonSerializer.Serialize(new { signIn = "/signin?name=alice", namespaces = new[] { "/", "/other" }, watchMs }));
        run.AssertSucceeded();
        Assert.Equal(200, Assert.Single(run.Named("signed-in")).GetProperty("status").GetInt32());
        var who = run.Named("whoami").ToArray();
        Assert.Equal(2, who.Length);
        Assert.All(who, w => Assert.Equal("alice", w.GetProperty("name").GetString()));
        return run;
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task An_expired_cookie_ends_the_connection_with_auth_expired_then_io_server_disconnect(string transports)
    {
        var reasons = new ConcurrentQueue<DisconnectReason>();
        await using var server = await StartWithCookieAsync(closeOnExpiration: true, reasons);

        var run = await RunSignedInAsync(server, transports, watchMs: 4000);

        foreach (var nsp in new[] { "/", "/other" })
        {
            var events = run.Events.Select((e, i) => (e, i)).Where(x => x.e.TryGetProperty("nsp", out var n) && n.GetString() == nsp).ToArray();
            var expired = Assert.Single(events, x => x.e.GetProperty("event").GetString() == "auth_expired");
            Assert.Equal("authentication expired", expired.e.GetProperty("data").GetProperty("message").GetString());
            var disconnect = Assert.Single(events, x => x.e.GetProperty("event").GetString() == "disconnect");
            Assert.Equal("io server disconnect", disconnect.e.GetProperty("reason").GetString());
            Assert.False(disconnect.e.GetProperty("active").GetBoolean(), run.ToString());
            Assert.True(expired.i < disconnect.i, run.ToString()); // told why first
        }
        Assert.Empty(run.Named("reconnect_attempt"));
        var after = Assert.Single(run.Named("after")).GetProperty("connected");
        Assert.False(after.GetProperty("/").GetBoolean());
        Assert.False(after.GetProperty("/other").GetBoolean());
        Assert.Equal([DisconnectReason.AuthenticationExpired, DisconnectReason.AuthenticationExpired], reasons.ToArray());
    }

    [Fact]
    public async Task With_the_option_off_an_expired_cookie_leaves_the_connection_alone()
    {
        var reasons = new ConcurrentQueue<DisconnectReason>();
        await using var server = await StartWithCookieAsync(closeOnExpiration: false, reasons);

        var run = await RunSignedInAsync(server, "websocket", watchMs: 3500);

        Assert.Empty(run.Named("auth_expired"));
        Assert.DoesNotContain(run.Named("disconnect"), e => e.GetProperty("reason").GetString() != "io client disconnect");
        var after = Assert.Single(run.Named("after")).GetProperty("connected");
        Assert.True(after.GetProperty("/").GetBoolean(), run.ToString());
        Assert.True(after.GetProperty("/other").GetBoolean(), run.ToString());
    }

    [Fact]
    public async Task The_expiry_follows_the_servers_TimeProvider()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var reasons = new ConcurrentQueue<DisconnectReason>();
        await using var server = await AuthTestServer.StartAsync(
            services: b =>
            {
                b.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ExpiringBearerHandler>(ExpiringBearerHandler.SchemeName, null);
                b.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = ExpiringBearerHandler.SchemeName);
            },
            options: o => o.CloseOnAuthenticationExpiration = true,
            // Heartbeats far away: only the expiry may end the session while the clock moves.
            engine: e => (e.PingInterval, e.PingTimeout) = (TimeSpan.FromHours(1), TimeSpan.FromHours(1)),
            configure: io => io.Of("/").OnConnection(socket => socket.Disconnected += (_, reason) => reasons.Enqueue(reason)),
            time: clock);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "/socket.io/") };

        var open = await SendAsync(http, HttpMethod.Get, "?EIO=4&transport=polling");
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        await SendAsync(http, HttpMethod.Post, $"?EIO=4&transport=polling&sid={sid}", "40");
        Assert.StartsWith("40{\"sid\"", await SendAsync(http, HttpMethod.Get, $"?EIO=4&transport=polling&sid={sid}"));

        clock.Advance(ExpiringBearerHandler.Lifetime - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Single(server.Io.Of("/").Sockets);

        clock.Advance(TimeSpan.FromSeconds(1));
        var told = await SendAsync(http, HttpMethod.Get, $"?EIO=4&transport=polling&sid={sid}");
        Assert.StartsWith("42[\"auth_expired\",{\"message\":\"authentication expired\"}]\u001e41", told);
        await SocketIOTestServer.WaitUntilAsync(() => !reasons.IsEmpty, "the server-side disconnect");
        Assert.Equal(DisconnectReason.AuthenticationExpired, Assert.Single(reasons));
        Assert.Empty(server.Io.Of("/").Sockets);
    }

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string query, string? body = null)
    {
        using var request = new HttpRequestMessage(method, query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Signs in <c>Bearer &lt;name&gt;</c> with a ticket that expires <see cref="Lifetime"/> after now on the app's clock.</summary>
    private sealed class ExpiringBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
        UrlEncoder encoder, TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "ExpiringBearer";
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var name = header["Bearer ".Length..];
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "id-" + name), new Claim(ClaimTypes.Name, name)], SchemeName));
            var properties = new AuthenticationProperties { ExpiresUtc = clock.GetUtcNow() + Lifetime };
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, properties, SchemeName)));
        }
    }
}
