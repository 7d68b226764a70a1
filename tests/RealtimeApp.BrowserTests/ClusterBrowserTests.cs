using System.Text.RegularExpressions;
using Microsoft.Playwright;
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

    private static async Task<string> AddressOfAsync(AppProcess app)
    {
        var address = (await app.WaitForPhaseAsync("ready"))[0].GetProperty("Addresses")[0].GetString()!;
        return address.EndsWith('/') ? address : address + "/";
    }
}
