using System.Net;
using Microsoft.Data.Sqlite;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;
using static RealtimeApp.Tests.Accounts.AccountTests;

namespace RealtimeApp.Tests.Accounts;

/// <summary>
/// Sessions across the app's edges: cross-site posts refused (CSRF), signing out disconnects the user's sockets,
/// a cookie survives a restart (the key ring is in the database), and an older board's SQLite file gets the
/// account tables without losing its items.
/// </summary>
public sealed class AccountSessionTests
{
    private const string Password = ItemClient.Password;
    private const string Evil = "http://evil.example";

    [Fact]
    public async Task Cross_site_posts_to_register_login_and_logout_are_refused_and_change_nothing()
    {
        await using var app = await ItemApp.StartAsync();
        var cookies = new CookieContainer();
        using var browser = app.NewBrowserClient(cookies);
        // Same origin (the page's own, as a browser sends it): allowed.
        var own = app.Address.TrimEnd('/');
        await JsonAsync(await PostAsync(browser, "account/register", new { userName = "victim", password = Password }, origin: own), HttpStatusCode.OK);

        var register = await JsonAsync(await PostAsync(browser, "account/register", new { userName = "planted", password = Password }, Evil), HttpStatusCode.Forbidden);
        Assert.Equal("cross_site", register.Str("code"));
        var login = await JsonAsync(await PostAsync(browser, "account/login", new { userName = "victim", password = Password }, Evil), HttpStatusCode.Forbidden);
        Assert.Equal("cross_site", login.Str("code"));
        var logout = await JsonAsync(await PostAsync(browser, "account/logout", null, Evil), HttpStatusCode.Forbidden);
        Assert.Equal("cross_site", logout.Str("code"));
        // "null" (a sandboxed page) is not an origin of ours either; nor is a cross-site fetch without Origin.
        await JsonAsync(await PostAsync(browser, "account/logout", null, "null"), HttpStatusCode.Forbidden);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "account/logout"))
        {
            request.Headers.Add("Sec-Fetch-Site", "cross-site");
            await JsonAsync(await browser.SendAsync(request), HttpStatusCode.Forbidden);
        }

        // Nothing changed: the victim is still signed in, "planted" does not exist.
        Assert.Equal((true, "victim"), await MeAsync(browser));
        var planted = await JsonAsync(await PostAsync(app.Http, "account/login", new { userName = "planted", password = Password }), HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_credentials", planted.Str("code"));

        // An origin the operator allows (Cors:Origins has http://localhost:5000 by default) may.
        await JsonAsync(await PostAsync(browser, "account/logout", null, "http://localhost:5000"), HttpStatusCode.OK);
        Assert.Equal((false, null), await MeAsync(browser));
    }

    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task Signing_out_disconnects_every_socket_of_that_user_and_no_other(TransportProtocol transport)
    {
        await using var app = await ItemApp.StartAsync();
        var cookies = new CookieContainer();
        using var browser = app.NewBrowserClient(cookies);
        await JsonAsync(await PostAsync(browser, "account/register", new { userName = "two-tabs", password = Password }), HttpStatusCode.OK);
        var cookie = new Dictionary<string, string> { ["Cookie"] = app.CookieHeader(cookies) };

        // Two tabs of the signed-in browser (its cookie on their requests), and someone else.
        await using var tab1 = await ItemClient.ConnectAsync(app.Address, "tab1", transport, cookie);
        await using var tab2 = await ItemClient.ConnectAsync(app.Address, "tab2", transport, cookie);
        await using var other = await app.ConnectAsync("other", transport);
        var created = (await tab1.RequestAsync("item:create", new { title = "From a tab", startingPrice = 1m })).AssertOk();
        Assert.Equal("two-tabs", created.Str("owner"));
        var gone = new[] { tab1, tab2 }.Select(tab =>
        {
            var disconnected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            tab.Socket.OnDisconnected += (_, reason) => disconnected.TrySetResult(reason);
            return disconnected.Task;
        }).ToArray();

        await JsonAsync(await PostAsync(browser, "account/logout"), HttpStatusCode.OK);

        await Task.WhenAll(gone).WaitAsync(ItemClient.Wait);
        Assert.False(tab1.Socket.Connected);
        Assert.False(tab2.Socket.Connected);
        // The other user's socket stays and still works.
        (await other.RequestAsync("item:bid", new { itemId = created.Id(), amount = 1m })).AssertOk();
        Assert.True(other.Socket.Connected);
        Assert.Equal((false, null), await MeAsync(browser));
    }

    [Fact]
    public async Task A_cookie_issued_before_a_restart_still_signs_in_after_it()
    {
        await using var app = await ItemApp.StartAsync();
        var cookies = new CookieContainer();
        using (var browser = app.NewBrowserClient(cookies))
        {
            await JsonAsync(await PostAsync(browser, "account/register", new { userName = "sticky", password = Password }), HttpStatusCode.OK);
        }
        var token = await ItemClient.SignInAsync(app.Address, "sticky");

        Assert.Equal(0, await app.RestartAsync());

        using (var browser = app.NewBrowserClient(cookies))
        {
            Assert.Equal((true, "sticky"), await MeAsync(browser));
        }
        // Both the cookie and the bearer token open a socket that acts as the account.
        var cookie = new Dictionary<string, string> { ["Cookie"] = app.CookieHeader(cookies) };
        await using var viaCookie = await ItemClient.ConnectAsync(app.Address, "cookie", TransportProtocol.WebSocket, cookie);
        Assert.Equal("sticky", (await viaCookie.RequestAsync("item:create", new { title = "After restart", startingPrice = 1m })).AssertOk().Str("owner"));
        await using var viaToken = await ItemClient.ConnectAsync(app.Address, "token", TransportProtocol.Polling, ItemClient.Bearer(token));
        Assert.Equal("sticky", (await viaToken.RequestAsync("item:create", new { title = "By token", startingPrice = 1m })).AssertOk().Str("owner"));
        // The key ring lives in the SQLite file (DataProtectionKeys), one key, made once.
        Assert.Equal(1L, Scalar(app.DatabasePath, "SELECT COUNT(*) FROM DataProtectionKeys"));
    }

    [Fact]
    public async Task An_older_board_file_gets_the_account_tables_and_keeps_its_items()
    {
        // A board file from before accounts: the item tables (the SQLite store's schema) with an item and a bid.
        await using var app = await ItemApp.StartAsync(prepare: WritePreAccountsBoard);

        var items = await app.GetAllItemsAsync();
        var legacy = Assert.Single(items);
        Assert.Equal(("Old radio", "grandma", "uncle", 1), (legacy.Str("title"), legacy.Str("owner"), legacy.Leader(), legacy.BidCount()));
        Assert.Equal(1L, Scalar(app.DatabasePath, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'AspNetUsers'"));

        // The names stay strings: an account registered with an old name then acts as it (the owner closes).
        await using var grandma = await app.ConnectAsync("grandma");
        Assert.Equal("closed", (await grandma.RequestAsync("item:close", new { itemId = legacy.Id() })).AssertOk().Status());

        // A second start on the same file does not try to create the tables again.
        Assert.Equal(0, await app.RestartAsync());
        Assert.Equal(2, (await app.GetExistingItemAsync(legacy.Id())).Version());
        Assert.DoesNotContain(app.Process.Lines, l => l.Contains("Created the account tables", StringComparison.Ordinal));
    }

    private static void WritePreAccountsBoard(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE items (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, description TEXT NOT NULL,
                owner TEXT NOT NULL, starting_cents INTEGER NOT NULL, current_cents INTEGER NOT NULL, leader TEXT NULL,
                bid_count INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                created_at TEXT NOT NULL, closes_at TEXT NULL, version INTEGER NOT NULL DEFAULT 1);
            CREATE TABLE bids (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL REFERENCES items(id), bidder TEXT NOT NULL,
                cents INTEGER NOT NULL, placed_at TEXT NOT NULL);
            CREATE INDEX bids_by_item ON bids(item_id);
            INSERT INTO items (id, title, description, owner, starting_cents, current_cents, leader, bid_count, status, created_at, version)
            VALUES ('legacy-1', 'Old radio', 'valves', 'grandma', 500, 700, 'uncle', 1, 'open', '2026-01-02T03:04:05.0000000Z', 1);
            INSERT INTO bids (item_id, bidder, cents, placed_at) VALUES ('legacy-1', 'uncle', 700, '2026-01-02T04:00:00.0000000Z');
            """;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
