using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// The official Socket.IO Admin UI, as the app serves it at /admin-ui/, in real Chromium: its connection form
/// logs in to this server, the dashboard shows its clients, two signed-in board users' rooms and a bid's events,
/// and a board user's socket is disconnected from it.
/// </summary>
public sealed class AdminUIBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // bcryptjs.hashSync("s3cret", 4)
    private const string PasswordHash = "$2a$04$oTB4aobI3WQI90uB/Nb4xOlrwRdrZkSi2v9hDuKHUo/1MA./sMnrq";

    [Fact]
    public async Task The_dashboard_logs_in_shows_a_board_users_socket_and_disconnects_it()
    {
        var folder = Directory.CreateTempSubdirectory("admin-ui-browser-").FullName;
        await using var app = BoardBrowserTests.StartApp(Path.Combine(folder, "items.db"), "--SocketIO:AdminUI:Enabled=true",
            "--SocketIO:AdminUI:UserName=admin", $"--SocketIO:AdminUI:PasswordHash={PasswordHash}");
        var address = await BoardBrowserTests.AddressOfAsync(app);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);

        var board = await browser.OpenAsync(address);
        await Assertions.Expect(board.GetByTestId("status")).ToHaveTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase));

        var admin = await browser.OpenAsync(address.TrimEnd('/') + "/admin-ui/");
        try
        {
            await admin.GetByLabel("Server URL").FillAsync(address.TrimEnd('/'));
            await admin.GetByLabel("Username").FillAsync("admin");
            await admin.GetByLabel("Password").FillAsync("s3cret");
            await admin.Locator("button[type=submit]").ClickAsync();

            // The dashboard: this server, with two clients (the board and the dashboard itself).
            await Assertions.Expect(admin.GetByText("Status: connected", new() { Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^WebSocket 2 ") })).ToBeVisibleAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Row, new() { Name = "/item 1", Exact = true })).ToBeVisibleAsync();
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-dashboard.png"), FullPage = true });
            await admin.GetByRole(AriaRole.Link, new() { Name = "Servers" }).ClickAsync();
            await Assertions.Expect(admin.Locator("main")).ToContainTextAsync(Environment.MachineName);

            // The board's socket in /item, its details, and the dashboard's Disconnect.
            await admin.GetByRole(AriaRole.Link, new() { Name = "Sockets" }).ClickAsync();
            await admin.GetByLabel("Namespace").ClickAsync(new() { Force = true });
            await admin.GetByRole(AriaRole.Option, new() { Name = "/item" }).ClickAsync();
            var row = admin.Locator("tbody tr").First;
            await Assertions.Expect(row).ToContainTextAsync("WebSocket");
            await Assertions.Expect(row).ToContainTextAsync("127.0.0.1");
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-sockets.png"), FullPage = true });
            await row.GetByRole(AriaRole.Button).ClickAsync(); // the row's "Disconnect this Socket instance"

            await Assertions.Expect(board.GetByTestId("status")).ToHaveTextAsync(new Regex("disconnected: io server disconnect"));
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui.png"), FullPage = true });
            Assert.True(new FileInfo(Path.Combine(artifacts, "admin-ui.png")).Length > 10_000, "the screenshot has content");
        }
        catch
        {
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-failed.png"), FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task The_dashboard_lists_two_signed_in_board_users_with_their_rooms_and_shows_a_bids_events()
    {
        var folder = Directory.CreateTempSubdirectory("admin-ui-browser-").FullName;
        await using var app = BoardBrowserTests.StartApp(Path.Combine(folder, "items.db"), "--SocketIO:AdminUI:Enabled=true",
            "--SocketIO:AdminUI:UserName=admin", $"--SocketIO:AdminUI:PasswordHash={PasswordHash}");
        var address = await BoardBrowserTests.AddressOfAsync(app);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);

        var alice = await browser.OpenAsync(address);
        var bob = await browser.OpenAsync(address);
        await BoardBrowserTests.SignInAsync(alice, "alice");
        await BoardBrowserTests.SignInAsync(bob, "bob");
        await alice.GetByTestId("create-title").FillAsync("Oak desk");
        await alice.GetByTestId("create-price").FillAsync("40");
        await alice.GetByTestId("create-submit").ClickAsync();
        await Assertions.Expect(BoardBrowserTests.Card(bob, "Oak desk")).ToHaveCountAsync(1);

        var admin = await browser.OpenAsync(address.TrimEnd('/') + "/admin-ui/");
        try
        {
            await admin.GetByLabel("Server URL").FillAsync(address.TrimEnd('/'));
            await admin.GetByLabel("Username").FillAsync("admin");
            await admin.GetByLabel("Password").FillAsync("s3cret");
            await admin.Locator("button[type=submit]").ClickAsync();
            await Assertions.Expect(admin.GetByText("Status: connected", new() { Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Row, new() { Name = "/item 2", Exact = true })).ToBeVisibleAsync();

            // Each signed-in socket is in its user's room: both show on the Rooms page.
            await admin.GetByRole(AriaRole.Link, new() { Name = "Rooms" }).ClickAsync();
            await admin.GetByLabel("Namespace").ClickAsync(new() { Force = true });
            await admin.GetByRole(AriaRole.Option, new() { Name = "/item" }).ClickAsync();
            await Assertions.Expect(admin.Locator("tbody tr", new() { HasText = "user:" })).ToHaveCountAsync(2);
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-rooms.png"), FullPage = true });

            // A bid made now shows in the live feed (development mode): the event the board sent.
            await BoardBrowserTests.Card(bob, "Oak desk").GetByTestId("bid-input").FillAsync("45");
            await BoardBrowserTests.Card(bob, "Oak desk").GetByTestId("bid-submit").ClickAsync();
            await Assertions.Expect(BoardBrowserTests.Card(alice, "Oak desk").GetByTestId("item-leader")).ToContainTextAsync("bob");
            await admin.GetByRole(AriaRole.Link, new() { Name = "Events" }).ClickAsync();
            // The bid the board sent (event_received) and the update every board got (event_sent).
            await Assertions.Expect(admin.Locator("tbody tr", new() { HasText = "item:bid" })).Not.ToHaveCountAsync(0);
            await Assertions.Expect(admin.Locator("tbody tr", new() { HasText = "item:updated" })).Not.ToHaveCountAsync(0);
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-events.png"), FullPage = true });
        }
        catch
        {
            await admin.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "admin-ui-users-failed.png"), FullPage = true });
            throw;
        }
    }
}
