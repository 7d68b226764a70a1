using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// The board on two app nodes (shared PostgreSQL, Redis adapter) behind the shipped nginx configuration,
/// in real Chromium: one person through nginx, one on each node directly, so at least two of them are on
/// different nodes; each sees the others' items and bids live. And one admin dashboard shows both nodes.
/// </summary>
public sealed class ClusterBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task People_on_different_nodes_see_each_others_items_and_bids_live()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var nodeA = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"], cluster.NodeSettings);
        await using var nodeB = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"], cluster.NodeSettings);
        var a = await AddressOfAsync(nodeA);
        var b = await AddressOfAsync(nodeB);
        await using var nginx = await NginxProcess.StartAsync([a, b]);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);

        var viaProxy = await browser.OpenAsync(nginx.Address);
        var onA = await browser.OpenAsync(a);
        var onB = await browser.OpenAsync(b);
        await BoardBrowserTests.SignInAsync(viaProxy, "proxied");
        await BoardBrowserTests.SignInAsync(onA, "anna");
        await BoardBrowserTests.SignInAsync(onB, "bert");
        // Every page upgrades to WebSocket, the proxied one too: its Origin (nginx's address) matches the Host nginx
        // forwards, so the origin check (on in the app) lets it through.
        foreach (var page in new[] { viaProxy, onA, onB })
        {
            await Assertions.Expect(page.GetByTestId("transport")).ToHaveTextAsync("websocket");
        }

        await onA.GetByTestId("create-title").FillAsync("Clock on node A");
        await onA.GetByTestId("create-price").FillAsync("10");
        await onA.GetByTestId("create-submit").ClickAsync();
        foreach (var page in new[] { viaProxy, onB })
        {
            await Assertions.Expect(BoardBrowserTests.Card(page, "Clock on node A")).ToHaveCountAsync(1);
        }

        await BoardBrowserTests.Card(onB, "Clock on node A").GetByTestId("bid-input").FillAsync("11");
        await BoardBrowserTests.Card(onB, "Clock on node A").GetByTestId("bid-submit").ClickAsync();
        await BoardBrowserTests.Card(viaProxy, "Clock on node A").GetByTestId("item-leader").GetByText("bert").WaitForAsync();
        await BoardBrowserTests.Card(viaProxy, "Clock on node A").GetByTestId("bid-input").FillAsync("12");
        await BoardBrowserTests.Card(viaProxy, "Clock on node A").GetByTestId("bid-submit").ClickAsync();
        foreach (var page in new[] { viaProxy, onA, onB })
        {
            await Assertions.Expect(BoardBrowserTests.Card(page, "Clock on node A").GetByTestId("item-price")).ToContainTextAsync("12");
            await Assertions.Expect(BoardBrowserTests.Card(page, "Clock on node A").GetByTestId("item-leader")).ToContainTextAsync("proxied");
            await Assertions.Expect(BoardBrowserTests.Card(page, "Clock on node A").GetByTestId("item-bids")).ToContainTextAsync("2");
        }
    }

    [Fact]
    public async Task One_admin_dashboard_shows_both_nodes_and_the_sockets_of_each()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var nodeA = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0", .. AdminUI("node-a")], cluster.NodeSettings);
        await using var nodeB = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0", .. AdminUI("node-b")], cluster.NodeSettings);
        var a = await AddressOfAsync(nodeA);
        var b = await AddressOfAsync(nodeB);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        var onA = await browser.OpenAsync(a);
        var onB = await browser.OpenAsync(b);
        await BoardBrowserTests.SignInAsync(onA, "anna");
        await BoardBrowserTests.SignInAsync(onB, "bert");

        // The dashboard is served by node A and connected to node A only; node B's stats and sockets come through Redis.
        var admin = await browser.OpenAsync(a + "admin-ui/");
        await admin.GetByLabel("Server URL").FillAsync(a.TrimEnd('/'));
        await admin.GetByLabel("Username").FillAsync("admin");
        await admin.GetByLabel("Password").FillAsync(AdminPassword);
        await admin.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(admin.GetByText("Status: connected", new() { Exact = true })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Servers" }).ClickAsync();
        await Assertions.Expect(admin.Locator("tbody tr", new() { HasText = "node-a" })).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("tbody tr", new() { HasText = "node-b" })).ToHaveCountAsync(1);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Rooms" }).ClickAsync();
        await admin.GetByLabel("Namespace").ClickAsync(new() { Force = true });
        await admin.GetByRole(AriaRole.Option, new() { Name = "/item" }).ClickAsync();
        await Assertions.Expect(admin.Locator("tbody tr", new() { HasText = "user:" })).ToHaveCountAsync(2);
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Servers" }).ClickAsync();
        await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-cluster.png"), FullPage = true });
    }

    // bcryptjs.hashSync("s3cret", 4), as in AdminUIBrowserTests.
    private const string AdminPassword = "s3cret";
    private const string AdminPasswordHash = "$2a$04$oTB4aobI3WQI90uB/Nb4xOlrwRdrZkSi2v9hDuKHUo/1MA./sMnrq";

    private static string[] AdminUI(string serverId) =>
        ["--SocketIO:AdminUI:Enabled=true", "--SocketIO:AdminUI:UserName=admin", $"--SocketIO:AdminUI:PasswordHash={AdminPasswordHash}",
            $"--SocketIO:AdminUI:ServerId={serverId}"];

    private static async Task<string> AddressOfAsync(AppProcess app)
    {
        var address = (await app.WaitForPhaseAsync("ready"))[0].GetProperty("Addresses")[0].GetString()!;
        return address.EndsWith('/') ? address : address + "/";
    }
}
