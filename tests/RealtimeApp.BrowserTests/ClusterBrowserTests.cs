using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// The board on two app nodes (shared PostgreSQL, Redis adapter) behind the shipped nginx configuration,
/// in real Chromium: one person through nginx, one on each node directly, so at least two of them are on
/// different nodes; each sees the others' items and bids live.
/// </summary>
public sealed class ClusterBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task People_on_different_nodes_see_each_others_items_and_bids_live()
    {
        await using var postgres = await PostgresServerProcess.StartAsync();
        await using var redis = await RedisServerProcess.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Items__Store"] = "Postgres",
            ["ConnectionStrings__Items"] = postgres.ConnectionString,
            ["SocketIO__Redis__Configuration"] = redis.Configuration,
        };
        await using var nodeA = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"], settings);
        await using var nodeB = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"], settings);
        var a = await AddressOfAsync(nodeA);
        var b = await AddressOfAsync(nodeB);
        await using var nginx = await NginxProcess.StartAsync([a, b]);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);

        var viaProxy = await browser.OpenAsync(nginx.Address);
        var onA = await browser.OpenAsync(a);
        var onB = await browser.OpenAsync(b);
        await SignInAsync(viaProxy, "proxied");
        await SignInAsync(onA, "anna");
        await SignInAsync(onB, "bert");

        await onA.GetByTestId("create-title").FillAsync("Clock on node A");
        await onA.GetByTestId("create-price").FillAsync("10");
        await onA.GetByTestId("create-submit").ClickAsync();
        foreach (var page in new[] { viaProxy, onB })
        {
            await Assertions.Expect(Card(page, "Clock on node A")).ToHaveCountAsync(1);
        }

        await Card(onB, "Clock on node A").GetByTestId("bid-input").FillAsync("11");
        await Card(onB, "Clock on node A").GetByTestId("bid-submit").ClickAsync();
        await Card(viaProxy, "Clock on node A").GetByTestId("item-leader").GetByText("bert").WaitForAsync();
        await Card(viaProxy, "Clock on node A").GetByTestId("bid-input").FillAsync("12");
        await Card(viaProxy, "Clock on node A").GetByTestId("bid-submit").ClickAsync();
        foreach (var page in new[] { viaProxy, onA, onB })
        {
            await Assertions.Expect(Card(page, "Clock on node A").GetByTestId("item-price")).ToContainTextAsync("12");
            await Assertions.Expect(Card(page, "Clock on node A").GetByTestId("item-leader")).ToContainTextAsync("proxied");
            await Assertions.Expect(Card(page, "Clock on node A").GetByTestId("item-bids")).ToContainTextAsync("2");
        }
    }

    private static async Task<string> AddressOfAsync(AppProcess app)
    {
        var address = (await app.WaitForPhaseAsync("ready"))[0].GetProperty("Addresses")[0].GetString()!;
        return address.EndsWith('/') ? address : address + "/";
    }

    private static async Task SignInAsync(IPage page, string name)
    {
        await page.GetByTestId("name-input").FillAsync(name);
        await page.GetByTestId("name-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync(new Regex("connected", RegexOptions.IgnoreCase),
            new() { Timeout = (float)Patience.TotalMilliseconds });
    }

    private static ILocator Card(IPage page, string title) =>
        page.GetByTestId("item-card").Filter(new() { Has = page.GetByTestId("item-title").GetByText(title, new() { Exact = true }) });
}
