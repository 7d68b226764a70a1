using System.Text.Json;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// Bids, closes and watches that break a rule are answered with their error code, and a refusal writes
/// nothing: GET /api/items/{id} shows the very same item (version, bid count, price, leader, status).
/// </summary>
public sealed class ItemRefusalTests(ItemBoardFixture board) : IClassFixture<ItemBoardFixture>
{
    /// <summary>Bad <c>item:bid</c> arguments, by case name; "{id}" stands for a real open item's id.</summary>
    private static readonly Dictionary<string, Func<string, object?[]>> BadBids = new()
    {
        ["missing amount"] = id => [new { itemId = id }],
        ["null amount"] = id => [new { itemId = id, amount = (decimal?)null }],
        ["zero amount"] = id => [new { itemId = id, amount = 0m }],
        ["negative amount"] = id => [new { itemId = id, amount = -20m }],
        ["amount with 3 decimals"] = id => [new { itemId = id, amount = 20.001m }],
        ["amount above 1,000,000,000"] = id => [new { itemId = id, amount = 1_000_000_001m }],
        ["amount is text"] = id => [new { itemId = id, amount = "twenty" }],
        ["amount is a numeric string"] = id => [new { itemId = id, amount = "20" }],
        ["amount is a boolean"] = id => [new { itemId = id, amount = true }],
        ["missing itemId"] = _ => [new { amount = 20m }],
        ["blank itemId"] = _ => [new { itemId = "  ", amount = 20m }],
        ["itemId is a number"] = _ => [new { itemId = 12, amount = 20m }],
        ["no payload"] = _ => [],
        ["string payload"] = id => [id],
        ["array payload"] = id => [new object[] { id, 20 }],
    };

    public static TheoryData<string> BadBidNames => [.. BadBids.Keys];

    [Theory]
    [MemberData(nameof(BadBidNames))]
    public async Task Bad_bid_is_refused_with_invalid_input_and_writes_nothing(string name)
    {
        var item = await CreateAsync(10m);

        var ack = await board.Ben.RequestAsync("item:bid", BadBids[name](item.Id()));

        ack.AssertError("invalid_input", name);
        await AssertUnchangedAsync(item);
        var good = (await board.Ben.RequestAsync("item:bid", new { itemId = item.Id(), amount = 20m })).AssertOk();
        Assert.Equal((2L, 1, "ben"), (good.Version(), good.BidCount(), good.Leader()));
    }

    [Fact]
    public async Task Bids_below_the_minimum_are_refused_first_against_the_starting_price_then_against_price_plus_increment()
    {
        var item = await CreateAsync(10m);
        await RefusedAsync(board.Ben, "item:bid", new { itemId = item.Id(), amount = 9.99m }, "bid_too_low", item);

        // The first bid may equal the starting price; later ones must beat the current price by 1.00.
        var first = (await board.Ben.RequestAsync("item:bid", new { itemId = item.Id(), amount = 10m })).AssertOk();
        Assert.Equal((10m, 1, 2L), (first.CurrentPrice(), first.BidCount(), first.Version()));
        await RefusedAsync(board.Ben, "item:bid", new { itemId = item.Id(), amount = 10m }, "bid_too_low", first);
        await RefusedAsync(board.Ben, "item:bid", new { itemId = item.Id(), amount = 10.99m }, "bid_too_low", first);
        var second = (await board.Ben.RequestAsync("item:bid", new { itemId = item.Id(), amount = 11m })).AssertOk();
        Assert.Equal((11m, 2, 3L), (second.CurrentPrice(), second.BidCount(), second.Version()));
        ItemJson.AssertSameState(second, await board.App.GetExistingItemAsync(item.Id()));
    }

    [Fact]
    public async Task Owner_cannot_bid_on_own_item()
    {
        var item = await CreateAsync(10m);
        await RefusedAsync(board.Olga, "item:bid", new { itemId = item.Id(), amount = 50m }, "own_item", item);
        var bid = (await board.Ben.RequestAsync("item:bid", new { itemId = item.Id(), amount = 10m })).AssertOk();
        await RefusedAsync(board.Olga, "item:bid", new { itemId = item.Id(), amount = 50m }, "own_item", bid);
    }

    [Fact]
    public async Task Unknown_ids_are_not_found_for_bid_close_watch_and_unwatch()
    {
        var before = await board.App.GetAllItemsAsync();
        foreach (var request in new[] { "item:bid", "item:close", "item:watch", "item:unwatch" })
        {
            var ack = await board.Ben.RequestAsync(request, new { itemId = "no-such-item", amount = 20m });
            ack.AssertError("not_found", request);
        }
        Assert.Null(await board.App.GetItemAsync("no-such-item"));
        Assert.Equal(before.Select(i => i.Snapshot()), (await board.App.GetAllItemsAsync()).Select(i => i.Snapshot()));
    }

    [Fact]
    public async Task Only_the_owner_closes_once_and_a_closed_item_takes_no_bids()
    {
        var item = await CreateAsync(10m);
        var bid = (await board.Ben.RequestAsync("item:bid", new { itemId = item.Id(), amount = 12m })).AssertOk();

        await RefusedAsync(board.Ben, "item:close", new { itemId = item.Id() }, "not_owner", bid);

        var closed = (await board.Olga.RequestAsync("item:close", new { itemId = item.Id() })).AssertOk();
        Assert.Equal(("closed", 3L, 1, 12m, "ben"), (closed.Status(), closed.Version(), closed.BidCount(), closed.CurrentPrice(), closed.Leader()));
        ItemJson.AssertSameState(closed, await board.App.GetExistingItemAsync(item.Id()));

        await RefusedAsync(board.Olga, "item:close", new { itemId = item.Id() }, "item_closed", closed);
        await RefusedAsync(board.Ben, "item:bid", new { itemId = item.Id(), amount = 100m }, "item_closed", closed);
        await RefusedAsync(board.Ben, "item:close", new { itemId = item.Id() }, "not_owner", closed);
    }

    [Fact]
    public async Task An_item_past_its_closing_time_takes_no_bids()
    {
        var item = (await board.Olga.RequestAsync("item:create",
            new { title = "short sale", startingPrice = 5m, closesAt = DateTimeOffset.UtcNow.AddSeconds(4) })).AssertOk();
        Assert.Equal("open", item.Status());

        var closedView = await WaitUntilClosedAsync(item.Id());
        Assert.Equal((1L, 0), (closedView.Version(), closedView.BidCount()));
        await RefusedAsync(board.Ben, "item:bid", new { itemId = item.Id(), amount = 5m }, "item_closed", closedView);
    }

    [Fact]
    public async Task Closing_an_item_already_closed_by_its_closing_time_is_refused_as_item_closed()
    {
        var item = (await board.Olga.RequestAsync("item:create",
            new { title = "expired", startingPrice = 5m, closesAt = DateTimeOffset.UtcNow.AddSeconds(4) })).AssertOk();
        var closedView = await WaitUntilClosedAsync(item.Id());

        // item_closed means "closed by its owner or its closing time": a second close writes nothing.
        await RefusedAsync(board.Olga, "item:close", new { itemId = item.Id() }, "item_closed", closedView);
    }

    [Theory]
    [InlineData("item:close")]
    [InlineData("item:watch")]
    [InlineData("item:unwatch")]
    public async Task Requests_naming_an_item_refuse_a_bad_payload_with_invalid_input(string request)
    {
        var item = await CreateAsync(3m);
        (await board.Olga.RequestAsync(request, new { itemId = "  " })).AssertError("invalid_input", $"{request} blank id");
        (await board.Olga.RequestAsync(request, new { itemId = 7 })).AssertError("invalid_input", $"{request} numeric id");
        (await board.Olga.RequestAsync(request, new { })).AssertError("invalid_input", $"{request} no id");
        (await board.Olga.RequestAsync(request, item.Id())).AssertError("invalid_input", $"{request} string payload");
        (await board.Olga.RequestAsync(request)).AssertError("invalid_input", $"{request} no payload");
        await AssertUnchangedAsync(item);
    }

    private async Task<JsonElement> CreateAsync(decimal startingPrice) =>
        (await board.Olga.RequestAsync("item:create", new { title = "rules", startingPrice })).AssertOk();

    private async Task RefusedAsync(ItemClient client, string request, object payload, string code, JsonElement current)
    {
        (await client.RequestAsync(request, payload)).AssertError(code, $"{client.Name} {request} {JsonSerializer.Serialize(payload)}");
        await AssertUnchangedAsync(current);
    }

    /// <summary>The stored item is exactly <paramref name="expected"/> (same version: nothing was written).</summary>
    private async Task AssertUnchangedAsync(JsonElement expected) =>
        ItemJson.AssertSameState(expected, await board.App.GetExistingItemAsync(expected.Id()));

    private async Task<JsonElement> WaitUntilClosedAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var view = await board.App.GetExistingItemAsync(id);
            if (view.Status() == "closed" || DateTime.UtcNow > deadline)
            {
                Assert.Equal("closed", view.Status());
                return view;
            }
            await Task.Delay(250);
        }
    }
}
