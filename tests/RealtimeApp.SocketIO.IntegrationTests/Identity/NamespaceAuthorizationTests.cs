using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// <c>io.Of(ns).RequireAuthorization(...)</c> with ASP.NET Core's policies, seen by the official Node client
/// on one engine connection holding several namespaces: a refused namespace gets <c>connect_error</c>
/// (<c>unauthorized</c> when nobody signed in, <c>forbidden</c> when the signed-in user fails the policy,
/// each with <c>data.code</c>), before its middlewares run, while the others stay connected.
/// </summary>
public sealed class NamespaceAuthorizationTests
{
    private static readonly string[] Namespaces = ["/", "/admin", "/staff", "/members", "/open"];

    private static Task<AuthTestServer> StartAsync(Action<AuthTestServer>? started = null, Action<SocketIOServer>? extra = null,
        CapturingLoggerProvider? logs = null, bool addAuthorization = true) =>
        AuthTestServer.StartAsync(
            services: b =>
            {
                if (addAuthorization)
                {
                    b.Services.AddAuthorization(o => o.AddPolicy("Admins", p => p.RequireRole("admin")));
                }
                if (logs is not null)
                {
                    b.Logging.AddProvider(logs);
                }
            },
            namespaces: Namespaces,
            addAuthorization: addAuthorization,
            configure: io =>
            {
                io.Of("/admin").RequireAuthorization("Admins");
                io.Of("/staff").RequireAuthorization(new AuthorizationPolicyBuilder().RequireClaim(ClaimTypes.Name, "carol").Build());
                io.Of("/members").RequireAuthorization(); // the default policy: signed in
                extra?.Invoke(io);
            });

    private static async Task<NodeRun> JoinAsync(AuthTestServer server, string transports, string? bearer, params string[] namespaces)
    {
        var options = JsonSerializer.Serialize(new
        {
            headers = bearer is null ? new Dictionary<string, string>() : new() { ["Authorization"] = "Bearer " + bearer },
            namespaces,
        });
        var run = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), transports, options);
        run.AssertSucceeded();
        return run;
    }

    private static JsonElement ErrorOf(NodeRun run, string nsp) => run.Named("connect_error").Single(e => e.GetProperty("nsp").GetString() == nsp);

    private static string[] Joined(NodeRun run) => [.. run.Named("connect").Select(e => e.GetProperty("nsp").GetString()!).Order()];

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Anonymous_is_refused_unauthorized_before_the_middlewares_while_the_other_namespaces_stay_connected(string transports)
    {
        var middlewareRuns = 0;
        await using var server = await StartAsync(extra: io => io.Of("/admin").Use((_, next) =>
        {
            Interlocked.Increment(ref middlewareRuns);
            return next();
        }));

        var run = await JoinAsync(server, transports, bearer: null, "/", "/admin", "/members", "/open");

        Assert.Equal(["/", "/open"], Joined(run));
        foreach (var nsp in new[] { "/admin", "/members" })
        {
            var error = ErrorOf(run, nsp);
            Assert.Equal("unauthorized", error.GetProperty("message").GetString());
            Assert.Equal("unauthorized", error.GetProperty("data").GetProperty("code").GetString());
            Assert.False(error.GetProperty("active").GetBoolean(), run.ToString()); // the client does not retry it
        }
        var after = Assert.Single(run.Named("after")).GetProperty("connected");
        Assert.True(after.GetProperty("/").GetBoolean(), run.ToString());
        Assert.True(after.GetProperty("/open").GetBoolean(), run.ToString());
        Assert.Equal(0, middlewareRuns);
        Assert.Empty(server.Io.Of("/admin").Sockets);
    }

    [Fact]
    public async Task A_signed_in_user_failing_the_policy_is_refused_forbidden()
    {
        await using var server = await StartAsync();

        var run = await JoinAsync(server, "polling,websocket", "bob", "/", "/admin", "/staff", "/members");

        Assert.Equal(["/", "/members"], Joined(run));
        foreach (var nsp in new[] { "/admin", "/staff" })
        {
            var error = ErrorOf(run, nsp);
            Assert.Equal("forbidden", error.GetProperty("message").GetString());
            Assert.Equal("forbidden", error.GetProperty("data").GetProperty("code").GetString());
        }
        Assert.True(Assert.Single(run.Named("after")).GetProperty("connected").GetProperty("/").GetBoolean(), run.ToString());
    }

    [Theory]
    [InlineData("ann-admin", "/admin")] // a named policy (role)
    [InlineData("carol", "/staff")] // a policy object (claim)
    public async Task A_user_the_policy_allows_is_admitted_as_herself(string user, string nsp)
    {
        await using var server = await StartAsync();

        var run = await JoinAsync(server, "websocket", user, "/", nsp);

        Assert.Equal(["/", nsp], Joined(run));
        var who = run.Named("whoami").Single(w => w.GetProperty("nsp").GetString() == nsp);
        Assert.Equal(user, who.GetProperty("name").GetString());
        Assert.True(who.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task Several_calls_all_apply()
    {
        await using var server = await StartAsync(extra: io => io.Of("/open")
            .RequireAuthorization("Admins")
            .RequireAuthorization(new AuthorizationPolicyBuilder().RequireClaim(ClaimTypes.Name, "ann-admin").Build()));

        Assert.Equal(["/", "/open"], Joined(await JoinAsync(server, "polling", "ann-admin", "/", "/open")));
        Assert.Equal("forbidden", ErrorOf(await JoinAsync(server, "polling", "bob-admin", "/", "/open"), "/open")
            .GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(false, "/admin")] // no AddAuthorization
    [InlineData(true, "/typo")] // a policy name that does not exist
    public async Task Authorization_that_cannot_run_refuses_with_a_server_error_and_logs_an_error(bool addAuthorization, string nsp)
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(logs: logs, addAuthorization: addAuthorization,
            extra: io => io.Of("/typo").RequireAuthorization("NoSuchPolicy"));

        var run = await JoinAsync(server, "polling", "ann-admin", "/", nsp);

        Assert.Equal(["/"], Joined(run));
        var error = ErrorOf(run, nsp);
        Assert.Equal("server error", error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("data").GetProperty("code").GetString());
        var logged = Assert.Single(logs.Events, e => e.EventName == "AuthorizationFailed");
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Equal(nsp, logged.Value("Namespace"));
    }
}
