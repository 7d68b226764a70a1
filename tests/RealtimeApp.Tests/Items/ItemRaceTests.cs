using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// Many clients bidding on one item at the same time: the bid is one transaction (check + write), so
/// each price has at most one winner, every accepted bid is counted once, the versions of accepted
/// bids strictly increase with their amounts, and the stored item agrees with the acks.
/// </summary>
public sealed class ItemRaceTests
{
    internal const int Bidders = 20;

    internal sealed record Bid(string Bidder, decimal Amount, string Phase, JsonElement Reply);

    [Fact]
    public async Task Twenty_node_clients_racing_on_one_item_have_exactly_one_winner_per_price()
    {
        await using var app = await ItemApp.StartAsync();

        var run = await NodeClient.RunAsync("item-race-client.mjs", app.Address, "websocket", Bidders.ToString());

        run.AssertSucceeded();
        var acks = run.Named("ack").ToArray();
        var created = acks.Single(a => a.Str("request") == "item:create").GetProperty("reply").AssertOk();
        var closed = acks.Single(a => a.Str("request") == "item:close").GetProperty("reply").AssertOk();
        var bids = acks.Where(a => a.Str("request") == "item:bid").Select(a => new Bid(a.Str("client"),
            a.GetProperty("payload").GetProperty("amount").GetDecimal(), a.Str("phase"), a.GetProperty("reply"))).ToList();
        var placed = Assert.Single(run.Named("placed")).GetProperty("payloads").EnumerateArray().ToList();

        await AssertRaceOutcomeAsync(app, created, bids, closed, placed);
    }

    [Fact]
    public async Task Twenty_dotnet_clients_racing_on_one_item_have_exactly_one_winner_per_price()
    {
        await using var app = await ItemApp.StartAsync();
        await using var seller = await app.ConnectAsync("seller");
        await using var watcher = await app.ConnectAsync("watcher");
        var clients = await Task.WhenAll(Enumerable.Range(0, Bidders).Select(i => app.ConnectAsync($"bidder-{i}")));
        try
        {
            var created = (await seller.RequestAsync("item:create", new { title = "Contested", startingPrice = 1m })).AssertOk();
            var id = created.Id();
            (await watcher.RequestAsync("item:watch", new { itemId = id })).AssertOk();

            var bids = new List<Bid>();
            async Task<Bid> BidAsync(ItemClient client, decimal amount, string phase) =>
                new(client.Name, amount, phase, await client.RequestAsync("item:bid", new { itemId = id, amount }));
            foreach (var amount in new[] { 1m, 2m, 3m })
            {
                bids.AddRange(await Task.WhenAll(clients.Select(c => BidAsync(c, amount, $"round-{amount}"))));
            }
            bids.AddRange(await Task.WhenAll(clients.SelectMany((c, i) =>
                new[] { 10m, 11m, 12m, 13m }.Select(b => BidAsync(c, b + i, "free-for-all")))));

            var closed = (await seller.RequestAsync("item:close", new { itemId = id })).AssertOk();
            await watcher.WaitForAsync("item:closed", id, closed.Version());

            await AssertRaceOutcomeAsync(app, created, bids, closed, [.. watcher.Received("bid:placed")]);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    internal static async Task AssertRaceOutcomeAsync(ItemApp app, JsonElement created, List<Bid> bids, JsonElement closed,
        List<JsonElement> placed)
    {
        var id = created.Id();
        Assert.Equal(Bidders * 7, bids.Count);

        // Every bid got an answer: accepted, or refused as too low (never a lost or failed request).
        foreach (var bid in bids.Where(b => !b.Reply.GetProperty("ok").GetBoolean()))
        {
            bid.Reply.AssertError("bid_too_low", $"{bid.Bidder} bidding {bid.Amount}");
        }
        var accepted = bids.Where(b => b.Reply.GetProperty("ok").GetBoolean())
            .Select(b => (b.Bidder, b.Amount, b.Phase, Item: b.Reply.AssertOk())).OrderBy(b => b.Item.Version()).ToList();

        // The same-amount rounds: exactly one winner each. Overall: at most one winner per price.
        foreach (var round in new[] { 1m, 2m, 3m })
        {
            var winner = Assert.Single(accepted, b => b.Phase == $"round-{round}");
            Assert.Equal(round, winner.Amount);
        }
        Assert.Contains(accepted, b => b.Phase == "free-for-all");
        Assert.Equal(accepted.Count, accepted.Select(b => b.Amount).Distinct().Count());

        // Versions of the accepted bids are 2, 3, … with no gap or repeat; each beat the previous by 1.00.
        Assert.Equal(Enumerable.Range(2, accepted.Count).Select(v => (long)v), accepted.Select(b => b.Item.Version()));
        for (var i = 0; i < accepted.Count; i++)
        {
            var (bidder, amount, _, item) = accepted[i];
            Assert.Equal((bidder, amount, i + 1), (item.Leader()!, item.CurrentPrice(), item.BidCount()));
            var previous = i == 0 ? 0m : accepted[i - 1].Amount;
            Assert.True(i == 0 || amount >= previous + 1.00m, $"bid {amount} (v{item.Version()}) accepted after {previous}");
        }

        // A refused bid was beaten: some accepted bid offered at least as much.
        var highest = accepted[^1];
        foreach (var refused in bids.Where(b => !b.Reply.GetProperty("ok").GetBoolean()))
        {
            Assert.True(refused.Amount <= highest.Amount, $"{refused.Bidder}'s {refused.Amount} refused, yet the best is {highest.Amount}");
        }

        // Final state: bidCount = accepted acks, price = highest accepted amount; the close and GET agree.
        Assert.Equal((accepted.Count, highest.Amount, highest.Bidder, "closed", accepted.Count + 2L),
            (closed.BidCount(), closed.CurrentPrice(), closed.Leader()!, closed.Status(), closed.Version()));
        ItemJson.AssertSameState(closed, await app.GetExistingItemAsync(id));

        // The watcher got one bid:placed per accepted bid (any arrival order), each matching its ack.
        Assert.Equal(accepted.Select(b => b.Item.Version()), placed.Select(p => p.GetProperty("item").Version()).Order());
        foreach (var payload in placed)
        {
            var match = accepted.Single(b => b.Item.Version() == payload.GetProperty("item").Version());
            Assert.Equal((id, match.Amount, match.Bidder), (payload.Str("itemId"), payload.GetProperty("amount").GetDecimal(), payload.Str("bidder")));
            ItemJson.AssertSameState(match.Item, payload.GetProperty("item"));
        }
    }
}
