using System.Text.Json;
using System.Net;
using Npgsql;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;
using static RealtimeApp.Tests.Accounts.AccountTests;

namespace RealtimeApp.Tests.Accounts;

/// <summary>
/// Accounts on two nodes sharing PostgreSQL and Redis: both starting at once on an empty database make the
/// tables and one data-protection key between them (the advisory lock), a cookie or token from one node is
/// honoured by the other, and signing out on one node disconnects the user's sockets on the other.
/// </summary>
public sealed class AccountClusterTests
{
    [Fact]
    public async Task Two_nodes_starting_together_share_accounts_keys_and_sign_out()
    {
        await using var cluster = await ClusterServices.StartAsync();
        var nodes = await Task.WhenAll(ItemApp.StartAsync(cluster.NodeSettings), ItemApp.StartAsync(cluster.NodeSettings));
        await using var a = nodes[0];
        await using var b = nodes[1];

        // One key ring for the cluster: exactly one key, made by whichever node got the lock first.
        await using (var db = NpgsqlDataSource.Create(cluster.Postgres.ConnectionString))
        await using (var count = db.CreateCommand("SELECT COUNT(*) FROM \"DataProtectionKeys\""))
        {
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
        }
        var created = new[] { a, b }.Sum(n => n.Process.Lines.Count(l => l.Contains("Created the account tables", StringComparison.Ordinal)));
        Assert.Equal(1, created);

        // Signed up on A, the cookie works on B (same host: the browser sends it to both ports).
        var cookies = new CookieContainer();
        using (var onA = a.NewBrowserClient(cookies))
        {
            await JsonAsync(await PostAsync(onA, "account/register", new { userName = "roamer", password = ItemClient.Password }), HttpStatusCode.OK);
        }
        using var onB = b.NewBrowserClient(cookies);
        Assert.Equal((true, "roamer"), await MeAsync(onB));

        // A token from B acts on A; the cookie's socket on B is disconnected by a sign-out on A.
        var token = await ItemClient.SignInAsync(b.Address, "roamer");
        await using var viaToken = await ItemClient.ConnectAsync(a.Address, "token", TransportProtocol.WebSocket, ItemClient.Bearer(token));
        Assert.Equal("roamer", (await viaToken.RequestAsync("item:create", new { title = "Made on A", startingPrice = 1m })).AssertOk().Str("owner"));
        await using var tabOnB = await ItemClient.ConnectAsync(b.Address, "tab", TransportProtocol.WebSocket,
            new Dictionary<string, string> { ["Cookie"] = b.CookieHeader(cookies) });
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tabOnB.Socket.OnDisconnected += (_, _) => gone.TrySetResult();

        using (var onA = a.NewBrowserClient(cookies))
        {
            await JsonAsync(await PostAsync(onA, "account/logout"), HttpStatusCode.OK);
        }
        await gone.Task.WaitAsync(ItemClient.Wait);
        Assert.False(tabOnB.Socket.Connected);
    }

    [Fact]
    public async Task A_user_signed_in_through_one_node_bids_through_the_other_and_stays_signed_in_when_both_restart()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var a = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var b = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var seller = await a.ConnectAsync("seller");
        var item = (await seller.RequestAsync("item:create", new { title = "Sold on A", startingPrice = 1m })).AssertOk();

        // Signed in through A's page (its cookie); the same browser's socket on B bids as that account.
        var cookies = new CookieContainer();
        using (var onA = a.NewBrowserClient(cookies))
        {
            await JsonAsync(await PostAsync(onA, "account/register", new { userName = "crosser", password = ItemClient.Password }), HttpStatusCode.OK);
        }
        async Task<JsonElement> BidThroughAsync(ItemApp node, decimal amount)
        {
            await using var tab = await ItemClient.ConnectAsync(node.Address, "crosser's tab", TransportProtocol.Polling,
                new Dictionary<string, string> { ["Cookie"] = node.CookieHeader(cookies) });
            return (await tab.RequestAsync("item:bid", new { itemId = item.Id(), amount })).AssertOk();
        }
        Assert.Equal("crosser", (await BidThroughAsync(b, 2m)).Leader());

        // Both nodes restart (SIGTERM, new processes, same PostgreSQL): the cookie still signs the user in on
        // either, because the key that protects it is in the shared database, not in a node's memory.
        Assert.Equal(0, await a.RestartAsync());
        Assert.Equal(0, await b.RestartAsync());
        foreach (var node in new[] { a, b })
        {
            using var browser = node.NewBrowserClient(cookies);
            Assert.Equal((true, "crosser"), await MeAsync(browser));
        }
        var afterRestart = await BidThroughAsync(a, 3m);
        Assert.Equal(("crosser", 3m), (afterRestart.Leader(), afterRestart.CurrentPrice()));
        ItemJson.AssertSameState(afterRestart, await b.GetExistingItemAsync(item.Id()));
    }
}
