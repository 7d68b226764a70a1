using System.Net;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests;

/// <summary>The plain HTTP surface of the host: liveness, the static page, the trace switch, the /debug access policy.</summary>
public sealed class HostEndpointsTests
{
    [Fact]
    public async Task Health_answers_live_and_ready_and_the_page_is_served_from_wwwroot()
    {
        await using var app = AppProcess.StartBuiltApp("--urls", "http://127.0.0.1:0");
        using var http = await ConnectAsync(app);

        foreach (var path in new[] { "/health", "/health/live" })
        {
            var health = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        }
        // The embedded defaults (SQLite, no Redis): the store and the realtime endpoint are checked.
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal(["socketio", "store"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));

        var page = await http.GetStringAsync("/");
        Assert.Contains("<title>RealtimeApp</title>", page);
        Assert.Contains("startup-trace.js", page);
    }

    [Fact]
    public async Task The_startup_trace_endpoint_can_be_turned_off()
    {
        await using var app = AppProcess.StartBuiltApp("--urls", "http://127.0.0.1:0", "--StartupTrace:Expose=false");
        using var http = await ConnectAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/debug/startup")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_realtime_endpoint_answers_handshakes_with_cors_for_configured_origins_only()
    {
        await using var app = AppProcess.StartBuiltApp("--urls", "http://127.0.0.1:0",
            "--Cors:Origins:0=http://allowed.example", "--Cors:Origins:1=");
        using var http = await ConnectAsync(app);

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        allowed.Headers.Add("Origin", "http://allowed.example");
        var response = await http.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0{\"sid\":", await response.Content.ReadAsStringAsync());
        Assert.Equal("http://allowed.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));

        using var other = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        other.Headers.Add("Origin", "http://localhost:5000");
        var refused = await http.SendAsync(other);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("--Diagnostics:Expose=false")]
    [InlineData("--Diagnostics:AllowedNetworks:0=10.0.0.0/8")] // the caller (127.0.0.1) is outside
    public async Task The_debug_endpoints_can_be_turned_off_or_kept_to_a_network(string setting)
    {
        await using var app = AppProcess.StartBuiltApp("--urls", "http://127.0.0.1:0", setting);
        using var http = await ConnectAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/debug/startup")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/debug/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    internal static async Task<HttpClient> ConnectAsync(AppProcess app)
    {
        var ready = (await app.WaitForPhaseAsync("ready"))[0];
        var address = ready.GetProperty("Addresses")[0].GetString()!;
        return new HttpClient { BaseAddress = new Uri(address) };
    }
}
