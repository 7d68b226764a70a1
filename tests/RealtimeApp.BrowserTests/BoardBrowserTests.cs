using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// The board page in real Chromium against the real app: two people (two browser contexts) share the
/// board live, errors from acks reach the page, and CORS decides which origins may connect.
/// </summary>
public sealed class BoardBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    internal static AppProcess StartApp(string database, params string[] args) =>
        AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0", .. args],
            new Dictionary<string, string> { ["ConnectionStrings__Items"] = $"Data Source={database}" });

    internal static async Task<string> AddressOfAsync(AppProcess app) =>
        (await app.WaitForPhaseAsync("ready"))[0].GetProperty("Addresses")[0].GetString()!;

    internal const string Password = "correct-horse-battery";

    /// <summary>Creates the account <paramref name="name"/> on the page (signs it in) and waits for the socket as that user.</summary>
    internal static Task SignInAsync(IPage page, string name) => SubmitAccountAsync(page, name, "register-submit");

    /// <summary>Signs an existing account in on the page.</summary>
    internal static Task LogInAsync(IPage page, string name) => SubmitAccountAsync(page, name, "login-submit");

    private static async Task SubmitAccountAsync(IPage page, string name, string button)
    {
        await page.GetByTestId("account-name").FillAsync(name);
        await page.GetByTestId("account-password").FillAsync(Password);
        await page.GetByTestId(button).ClickAsync();
        var patience = new LocatorAssertionsToHaveTextOptions { Timeout = (float)Patience.TotalMilliseconds };
        await Assertions.Expect(page.GetByTestId("whoami")).ToHaveTextAsync(name, patience);
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase), patience);
    }

    internal static ILocator Card(IPage page, string title) =>
        page.GetByTestId("item-card").Filter(new() { Has = page.GetByTestId("item-title").GetByText(title, new() { Exact = true }) });

    [Fact]
    public async Task Two_signed_up_people_bid_on_each_others_items_live_and_an_anonymous_watcher_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("board-browser-").FullName;
        await using var app = StartApp(Path.Combine(folder, "items.db"));
        var address = await AddressOfAsync(app);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);

        var alice = await browser.OpenAsync(address);
        var bob = await browser.OpenAsync(address);
        var carol = await browser.OpenAsync(address);   // never signs in: watches
        await SignInAsync(alice, "alice");
        await SignInAsync(bob, "bob");
        await Assertions.Expect(carol.GetByTestId("status")).ToHaveTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase));
        await Assertions.Expect(carol.GetByTestId("whoami")).ToHaveAttributeAsync("data-signed-in", "false");
        await Assertions.Expect(carol.GetByTestId("create-submit")).ToBeDisabledAsync();
        await Assertions.Expect(carol.GetByTestId("create-hint")).ToBeVisibleAsync();
        await Assertions.Expect(alice.GetByTestId("transport")).ToContainTextAsync(new Regex("polling|websocket"));

        // Alice lists an item; Bob's board shows it without a reload.
        await alice.GetByTestId("create-title").FillAsync("Brass lamp");
        await alice.GetByTestId("create-description").FillAsync("1920s, works");
        await alice.GetByTestId("create-price").FillAsync("10");
        await alice.GetByTestId("create-submit").ClickAsync();
        await Assertions.Expect(Card(bob, "Brass lamp")).ToHaveCountAsync(1);
        await Assertions.Expect(Card(bob, "Brass lamp").GetByTestId("item-status")).ToContainTextAsync(new Regex("open", RegexOptions.IgnoreCase));

        // Bob bids; every board (the watcher's too) shows the new price, leader and count.
        await Card(bob, "Brass lamp").GetByTestId("bid-input").FillAsync("12");
        await Card(bob, "Brass lamp").GetByTestId("bid-submit").ClickAsync();
        foreach (var page in new[] { alice, bob, carol })
        {
            await Assertions.Expect(Card(page, "Brass lamp").GetByTestId("item-price")).ToContainTextAsync("12");
            await Assertions.Expect(Card(page, "Brass lamp").GetByTestId("item-leader")).ToContainTextAsync("bob");
            await Assertions.Expect(Card(page, "Brass lamp").GetByTestId("item-bids")).ToContainTextAsync("1");
        }

        // A bid that is too low: the ack's error is shown next to that bid, and nothing changes.
        await Card(bob, "Brass lamp").GetByTestId("bid-input").FillAsync("12.5");
        await Card(bob, "Brass lamp").GetByTestId("bid-submit").ClickAsync();
        await Assertions.Expect(Card(bob, "Brass lamp").GetByTestId("bid-error")).ToContainTextAsync(new Regex("at least 13", RegexOptions.IgnoreCase));
        await Assertions.Expect(Card(alice, "Brass lamp").GetByTestId("item-bids")).ToContainTextAsync("1");

        // Bob lists an item and Alice outbids on it: each bids on the other's item, live.
        await bob.GetByTestId("create-title").FillAsync("Tin robot");
        await bob.GetByTestId("create-price").FillAsync("5");
        await bob.GetByTestId("create-submit").ClickAsync();
        await Card(alice, "Tin robot").GetByTestId("bid-input").FillAsync("7");
        await Card(alice, "Tin robot").GetByTestId("bid-submit").ClickAsync();
        foreach (var page in new[] { alice, bob, carol })
        {
            await Assertions.Expect(Card(page, "Tin robot").GetByTestId("item-leader")).ToContainTextAsync("alice");
            await Assertions.Expect(Card(page, "Tin robot").GetByTestId("item-owner")).ToContainTextAsync("bob");
        }

        // The anonymous watcher is told to sign in, tries anyway, and the server's refusal is shown; nothing changes.
        await Assertions.Expect(Card(carol, "Brass lamp").GetByTestId("bid-hint")).ToContainTextAsync("Sign in to bid");
        await Card(carol, "Brass lamp").GetByTestId("bid-input").FillAsync("50");
        await Card(carol, "Brass lamp").GetByTestId("bid-submit").ClickAsync();
        await Assertions.Expect(Card(carol, "Brass lamp").GetByTestId("bid-error")).ToContainTextAsync("Not signed in");
        await Assertions.Expect(Card(alice, "Brass lamp").GetByTestId("item-bids")).ToContainTextAsync("1");
        await Assertions.Expect(Card(carol, "Brass lamp").GetByTestId("item-price")).ToContainTextAsync("12");

        // The owner closes it; Bob's board shows it closed.
        await Card(alice, "Brass lamp").GetByTestId("close-submit").ClickAsync();
        await Assertions.Expect(Card(bob, "Brass lamp").GetByTestId("item-status")).ToContainTextAsync(new Regex("closed", RegexOptions.IgnoreCase));

        // Bob has a second tab (same browser, same cookie): signed in there too.
        var bobsOtherTab = await bob.Context.NewPageAsync();
        await bobsOtherTab.GotoAsync(address);
        await Assertions.Expect(bobsOtherTab.GetByTestId("whoami")).ToHaveAttributeAsync("data-signed-in", "true");
        await Assertions.Expect(bobsOtherTab.GetByTestId("status")).ToContainTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase));

        // Bob signs out: his page reconnects as a watcher (no bid hint before, one now), and so does the other tab,
        // which the server disconnected (every socket of the user); signing in again works.
        await bob.GetByTestId("logout-submit").ClickAsync();
        await Assertions.Expect(bob.GetByTestId("whoami")).ToHaveAttributeAsync("data-signed-in", "false");
        await Assertions.Expect(bobsOtherTab.GetByTestId("whoami")).ToHaveAttributeAsync("data-signed-in", "false");
        await Assertions.Expect(bobsOtherTab.GetByTestId("status")).ToContainTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase));
        await Assertions.Expect(Card(bobsOtherTab, "Brass lamp").GetByTestId("bid-hint")).ToBeVisibleAsync();
        await Assertions.Expect(Card(bob, "Brass lamp").GetByTestId("bid-hint")).ToBeVisibleAsync();
        await LogInAsync(bob, "bob");
        await Assertions.Expect(Card(bob, "Tin robot").GetByTestId("close-submit")).ToBeVisibleAsync();

        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "board.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot has content");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_page_from_another_origin_connects_only_when_that_origin_is_in_Cors_Origins(bool allowed)
    {
        var folder = Directory.CreateTempSubdirectory("board-cors-").FullName;

        // The page's origin: a second instance of the app serving the same wwwroot.
        await using var pageHost = StartApp(Path.Combine(folder, "page.db"));
        var pageOrigin = (await AddressOfAsync(pageHost)).TrimEnd('/');

        // The realtime server, allowing that origin or not.
        string[] origins = allowed ? [$"--Cors:Origins:0={pageOrigin}", "--Cors:Origins:1="] : ["--Cors:Origins:0=http://elsewhere.example", "--Cors:Origins:1="];
        await using var server = StartApp(Path.Combine(folder, "server.db"), origins);
        var serverAddress = (await AddressOfAsync(server)).TrimEnd('/');

        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.OpenAsync($"{pageOrigin}/?server={Uri.EscapeDataString(serverAddress)}");

        var status = page.GetByTestId("status");
        if (allowed)
        {
            await Assertions.Expect(status).ToContainTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase),
                new() { Timeout = (float)Patience.TotalMilliseconds });
            // Signing up from the other origin: the server's cookie (credentials: include, withCredentials) is
            // set and sent, and the socket reconnects as the account.
            await SignInAsync(page, "carol");
            await page.GetByTestId("create-title").FillAsync("Cross-origin vase");
            await page.GetByTestId("create-price").FillAsync("3");
            await page.GetByTestId("create-submit").ClickAsync();
            await Assertions.Expect(Card(page, "Cross-origin vase").GetByTestId("item-owner")).ToContainTextAsync("carol",
                new() { Timeout = (float)Patience.TotalMilliseconds });
        }
        else
        {
            // The browser blocks every response without the origin's CORS header: the client never connects.
            await Assertions.Expect(status).Not.ToContainTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase),
                new() { Timeout = 4000 });
            await Assertions.Expect(status).ToContainTextAsync(new Regex("error|disconnected|connecting", RegexOptions.IgnoreCase));
        }
    }
}
