using System.Net;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests;

/// <summary>
/// <c>SocketIO:AdminUI</c> in the app: the dashboard page at /admin-ui/ from the pinned npm build, with its
/// fonts and icons served here instead of from CDNs, the admin namespace with basic auth, and both kept to
/// <c>Diagnostics:AllowedNetworks</c>.
/// </summary>
public sealed class AdminUIAppTests
{
    // bcryptjs.hashSync("s3cret", 4): a hash as an operator would paste it.
    private const string PasswordHash = "$2a$04$oTB4aobI3WQI90uB/Nb4xOlrwRdrZkSi2v9hDuKHUo/1MA./sMnrq";

    private static AppProcess Start(params string[] more) => AppProcess.StartBuiltApp(
    [
        "--urls", "http://127.0.0.1:0", "--SocketIO:AdminUI:Enabled=true", "--SocketIO:AdminUI:UserName=admin",
        $"--SocketIO:AdminUI:PasswordHash={PasswordHash}", .. more,
    ]);

    [Fact]
    public async Task The_dashboard_page_is_served_with_local_fonts_and_its_namespace_logs_in()
    {
        await using var app = Start();
        using var http = await HostEndpointsTests.ConnectAsync(app);

        var redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress }.GetAsync("/admin-ui");
        Assert.Equal("/admin-ui/", redirect.Headers.Location?.ToString());
        var page = await http.GetStringAsync("/admin-ui/");
        Assert.Contains("<title>Socket.IO Admin UI</title>", page);
        Assert.DoesNotContain("fonts.googleapis.com", page);
        Assert.DoesNotContain("cdn.jsdelivr.net", page);
        Assert.Contains("""<link rel="stylesheet" href="mdi/css/materialdesignicons.min.css">""", page);
        Assert.Contains("""<link rel="stylesheet" href="roboto/400.css">""", page);
        foreach (var path in new[] { "favicon.png", "mdi/css/materialdesignicons.min.css", "mdi/fonts/materialdesignicons-webfont.woff2",
                     "roboto/400.css", "roboto/files/roboto-latin-400-normal.woff2" })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin-ui/" + path)).StatusCode);
        }
        // Every script and stylesheet the page names is there.
        foreach (var src in System.Text.RegularExpressions.Regex.Matches(page, "(?:src|href)=\"((?:js|css)/[^\"]+)\"").Select(m => m.Groups[1].Value))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin-ui/" + src)).StatusCode);
        }

        var login = await NodeClient.RunAsync("admin-ui-client.mjs", http.BaseAddress!.ToString(), "session", """{"username":"admin","password":"s3cret"}""");
        login.AssertSucceeded();
        Assert.Single(login.Named("reconnected-with-session"));
        var refused = await NodeClient.RunAsync("admin-ui-client.mjs", http.BaseAddress!.ToString(), "badauth", """{"username":"admin","password":"nope"}""");
        refused.AssertSucceeded();
        Assert.Equal("invalid credentials", refused.Named("connect_error").Single().GetProperty("message").GetString());
    }

    [Fact]
    public async Task Outside_the_diagnostics_networks_neither_page_nor_namespace_is_reachable()
    {
        await using var app = Start("--Diagnostics:AllowedNetworks:0=10.0.0.0/8"); // the caller (127.0.0.1) is outside
        using var http = await HostEndpointsTests.ConnectAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin-ui/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin-ui/favicon.png")).StatusCode);
        var run = await NodeClient.RunAsync("admin-ui-client.mjs", http.BaseAddress!.ToString(), "badauth", """{"username":"admin","password":"s3cret"}""");
        run.AssertSucceeded();
        Assert.Equal("forbidden", run.Named("connect_error").Single().GetProperty("message").GetString());
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var app = AppProcess.StartBuiltApp("--urls", "http://127.0.0.1:0");
        using var http = await HostEndpointsTests.ConnectAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin-ui/")).StatusCode);
        var run = await NodeClient.RunAsync("admin-ui-client.mjs", http.BaseAddress!.ToString(), "badauth", "{}");
        run.AssertSucceeded();
        Assert.Equal("Invalid namespace", run.Named("connect_error").Single().GetProperty("message").GetString());
    }
}
