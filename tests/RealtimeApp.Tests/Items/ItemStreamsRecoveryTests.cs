using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// The board on two nodes with <c>SocketIO:Redis:Mode=Streams</c> and connection state recovery: a rolling restart
/// takes node A away (SIGTERM), the official client's reconnection goes to node B (as a load balancer sends it), and
/// B gives it back its id and watched items with the bids it missed meanwhile.
/// </summary>
public sealed class ItemStreamsRecoveryTests
{
    [Fact]
    public async Task A_watcher_of_a_node_that_restarts_recovers_through_the_other_with_the_bids_it_missed()
    {
        await using var cluster = await ClusterServices.StartAsync();
        var settings = new Dictionary<string, string>(cluster.NodeSettings)
        {
            ["SocketIO__Redis__Mode"] = "Streams",
            ["SocketIO__ConnectionStateRecovery__MaxDisconnectionDuration"] = "00:02:00",
        };
        await using var a = await ItemApp.StartAsync(settings);
        await using var b = await ItemApp.StartAsync(settings);
        await using var seller = await b.ConnectAsync("seller");
        await using var bidder = await b.ConnectAsync("bidder");
        var id = (await seller.RequestAsync("item:create", new { title = "Bid through a restart", startingPrice = 1m })).AssertOk().Id();

        await using var watcher = await NodePeerProcess.StartAsync("recovering-client-peer.mjs");
        var first = await watcher.SendAsync(new { op = "connect", url = a.Address + "item", delay = 300 });
        var socketId = first.GetProperty("socketId").GetString();
        var watched = await watcher.SendAsync(new { op = "request", @event = "item:watch", payload = new { itemId = id } });
        Assert.True(watched.GetProperty("answer").GetProperty("ok").GetBoolean(), watched.ToString());
        (await bidder.RequestAsync("item:bid", new { itemId = id, amount = 2m })).AssertOk();
        await WaitForPriceAsync(watcher, 2m);

        // Node A goes away in a rolling restart; meanwhile B takes more bids.
        await watcher.SendAsync(new { op = "retarget", url = b.Address + "item" });
        Assert.Equal(0, await a.Process.TerminateAsync());
        (await bidder.RequestAsync("item:bid", new { itemId = id, amount = 3m })).AssertOk();
        (await bidder.RequestAsync("item:bid", new { itemId = id, amount = 4m })).AssertOk();

        var back = await watcher.SendAsync(new { op = "reconnected" });
        Assert.Equal(socketId, back.GetProperty("socketId").GetString());
        Assert.True(back.GetProperty("recovered").GetBoolean());
        // The bids made while it was away, and (still watching, now through B) the next one.
        await WaitForPriceAsync(watcher, 3m, 4m);
        (await bidder.RequestAsync("item:bid", new { itemId = id, amount = 5m })).AssertOk();
        await WaitForPriceAsync(watcher, 5m);
    }

    /// <summary>Waits for item:updated events with these prices, in this order, as the next updates the watcher gets.</summary>
    private static async Task WaitForPriceAsync(NodePeerProcess watcher, params decimal[] prices)
    {
        var updates = new List<decimal>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (updates.Count < prices.Length && DateTime.UtcNow < deadline)
        {
            foreach (var received in (await watcher.SendAsync(new { op = "received" })).GetProperty("received").EnumerateArray())
            {
                if (received.GetProperty("event").GetString() == "item:updated")
                {
                    updates.Add(received.GetProperty("args")[0].GetProperty("currentPrice").GetDecimal());
                }
            }
            await Task.Delay(50);
        }
        Assert.Equal(prices, updates);
    }
}
