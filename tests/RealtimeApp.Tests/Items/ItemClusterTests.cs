using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// The app on two nodes: two processes sharing a real PostgreSQL (Items:Store=Postgres) and a real Redis
/// (the Socket.IO Redis adapter). Clients on different nodes see each other's changes live, and bids racing
/// from both nodes on one item leave exactly one winner per price (the row lock of each bid's transaction).
/// </summary>
public sealed class ItemClusterTests
{
    [Fact]
    public async Task Bidders_on_two_nodes_see_each_others_bids_live_and_racing_bids_leave_one_winner_per_price()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var a = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var b = await ItemApp.StartAsync(cluster.NodeSettings);

        await using var seller = await a.ConnectAsync("seller");
        await using var watcher = await b.ConnectAsync("watcher");
        var clients = await Task.WhenAll(Enumerable.Range(0, ItemRaceTests.Bidders)
            .Select(i => (i % 2 == 0 ? a : b).ConnectAsync($"bidder-{i}")));
        try
        {
            var created = (await seller.RequestAsync("item:create", new { title = "Contested across nodes", startingPrice = 1m })).AssertOk();
            var id = created.Id();
            // Created on A, visible on B: the store is shared.
            ItemJson.AssertSameState(created, await b.GetExistingItemAsync(id));
            (await watcher.RequestAsync("item:watch", new { itemId = id })).AssertOk();

            var bids = new List<ItemRaceTests.Bid>();
            async Task<ItemRaceTests.Bid> BidAsync(ItemClient client, decimal amount, string phase) =>
                new(client.Name, amount, phase, await client.RequestAsync("item:bid", new { itemId = id, amount }));
            foreach (var amount in new[] { 1m, 2m, 3m })
            {
                bids.AddRange(await Task.WhenAll(clients.Select(c => BidAsync(c, amount, $"round-{amount}"))));
            }
            bids.AddRange(await Task.WhenAll(clients.SelectMany((c, i) =>
                new[] { 10m, 11m, 12m, 13m }.Select(n => BidAsync(c, n + i, "free-for-all")))));

            var closed = (await seller.RequestAsync("item:close", new { itemId = id })).AssertOk();
            // The watcher on B got the close made on A, and every bid made on either node (through Redis).
            await watcher.WaitForAsync("item:closed", id, closed.Version());
            await ItemRaceTests.AssertRaceOutcomeAsync(a, created, bids, closed, [.. watcher.Received("bid:placed")]);
            ItemJson.AssertSameState(closed, await b.GetExistingItemAsync(id));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Behind_the_shipped_nginx_config_polling_clients_work_and_see_bids_made_on_either_node()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var a = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var b = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var nginx = await NginxProcess.StartAsync([a.Address, b.Address]);

        // Long-polling through nginx: every request of the session reaches the node that holds it.
        await using var viaNginx = await ItemClient.ConnectAsync(nginx.Address, "via-nginx", SocketIOClient.Transport.TransportProtocol.Polling);
        await using var onA = await a.ConnectAsync("on-a");
        await using var onB = await b.ConnectAsync("on-b");
        var created = (await viaNginx.RequestAsync("item:create", new { title = "Through the proxy", startingPrice = 5m })).AssertOk();
        var id = created.Id();
        var bid = (await onA.RequestAsync("item:bid", new { itemId = id, amount = 6m })).AssertOk();
        var outbid = (await onB.RequestAsync("item:bid", new { itemId = id, amount = 7m })).AssertOk();

        // Whichever node nginx picked, the proxied client sees both bids live, and so do both direct clients.
        foreach (var client in new[] { viaNginx, onA, onB })
        {
            await client.WaitForAsync("item:created", id, created.Version());
            await client.WaitForAsync("item:updated", id, bid.Version());
            await client.WaitForAsync("item:updated", id, outbid.Version());
        }
    }

    [Fact]
    public async Task Long_polling_needs_the_sticky_hash_of_the_shipped_config_and_round_robin_loses_the_session()
    {
        await using var a = await ItemApp.StartAsync();
        await using var b = await ItemApp.StartAsync();
        await using var sticky = await NginxProcess.StartAsync([a.Address, b.Address]);
        await using var roundRobin = await NginxProcess.StartAsync([a.Address, b.Address],
            site => site.Replace("hash $remote_addr consistent;", "# (no stickiness)"));

        var throughSticky = await PollThreeTimesAsync(sticky);
        Assert.Equal([200, 200, 200], throughSticky);
        // The second request reaches the other node, which has never heard of the session.
        Assert.Contains(400, await PollThreeTimesAsync(roundRobin));
    }

    /// <summary>A polling handshake through <paramref name="nginx"/>, then two polls of that session; the statuses.</summary>
    private static async Task<int[]> PollThreeTimesAsync(NginxProcess nginx)
    {
        using var http = new HttpClient { BaseAddress = new Uri(nginx.Address) };
        using var open = await http.GetAsync("/socket.io/?EIO=4&transport=polling");
        var body = await open.Content.ReadAsStringAsync();
        var sid = System.Text.Json.JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString();
        var statuses = new List<int> { (int)open.StatusCode };
        for (var i = 0; i < 2; i++)
        {
            // A POST, which is answered at once (a GET would wait for the heartbeat's ping).
            using var post = await http.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", new StringContent("6"));
            statuses.Add((int)post.StatusCode);
        }
        return [.. statuses];
    }
}
