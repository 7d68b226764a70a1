using System.Text.Json;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// A write is durable before its ack: after SIGTERM and a new process on the same SQLite file, every
/// acknowledged item, bid and close is there, with the same versions, and the board carries on.
/// </summary>
public sealed class ItemRestartTests
{
    [Fact]
    public async Task Restarting_the_server_keeps_every_acknowledged_item_and_bid()
    {
        await using var app = await ItemApp.StartAsync();
        var latest = new Dictionary<string, JsonElement>();
        var ids = new List<string>(); // in creation order
        await using (var seller = await app.ConnectAsync("seller"))
        await using (var bidders = await app.ConnectAsync("bidders"))
        {
            for (var i = 0; i < 4; i++)
            {
                var item = (await seller.RequestAsync("item:create", new
                {
                    title = $"kept {i}",
                    description = $"line {i}",
                    startingPrice = 2.50m + i,
                    closesAt = i == 3 ? DateTimeOffset.UtcNow.AddDays(7) : (DateTimeOffset?)null,
                })).AssertOk();
                latest[item.Id()] = item;
                ids.Add(item.Id());
            }
            foreach (var (id, amounts) in new[] { (ids[0], new[] { 2.50m, 3.75m, 5m }), (ids[1], new[] { 4m }), (ids[3], new[] { 6m, 7.01m }) })
            {
                foreach (var amount in amounts)
                {
                    latest[id] = (await bidders.RequestAsync("item:bid", new { itemId = id, amount })).AssertOk();
                }
            }
            latest[ids[1]] = (await seller.RequestAsync("item:close", new { itemId = ids[1] })).AssertOk();
            // A refused bid before the restart must not show up after it either.
            (await bidders.RequestAsync("item:bid", new { itemId = ids[0], amount = 5.50m })).AssertError("bid_too_low");

            Assert.Equal((4L, 3, 5m), (latest[ids[0]].Version(), latest[ids[0]].BidCount(), latest[ids[0]].CurrentPrice()));
            Assert.Equal(("closed", 3L), (latest[ids[1]].Status(), latest[ids[1]].Version()));

            // SIGTERM while both clients are still connected: a graceful stop, exit code 0.
            Assert.Equal(0, await app.RestartAsync());
        }

        // The new process on the same file: item:list and HTTP show every acknowledged state exactly.
        var expected = latest.Values.OrderBy(i => i.Id()).Select(i => i.Snapshot()).ToArray();
        await using var reader = await app.ConnectAsync("reader");
        var listed = (await reader.RequestAsync("item:list", new { limit = 100 })).AssertOk();
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("nextCursor").ValueKind);
        var items = listed.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(expected, items.OrderBy(i => i.Id()).Select(i => i.Snapshot()));
        Assert.Equal(ids.AsEnumerable().Reverse(), items.Select(i => i.Id())); // still newest first
        foreach (var item in latest.Values)
        {
            ItemJson.AssertSameState(item, await app.GetExistingItemAsync(item.Id()));
        }

        // And the board carries on from the stored versions and prices.
        var first = ids[0];
        (await reader.RequestAsync("item:bid", new { itemId = first, amount = 5.99m })).AssertError("bid_too_low");
        var next = (await reader.RequestAsync("item:bid", new { itemId = first, amount = 6m })).AssertOk();
        Assert.Equal((5L, 4, "reader"), (next.Version(), next.BidCount(), next.Leader()));
        (await reader.RequestAsync("item:bid", new { itemId = ids[1], amount = 100m })).AssertError("item_closed");
    }
}
