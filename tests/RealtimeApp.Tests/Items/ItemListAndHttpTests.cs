using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// <c>item:list</c> pages newest first with a cursor; GET /api/items and /api/items/{id} read the same
/// store over HTTP.
/// </summary>
public sealed class ItemListAndHttpTests
{
    [Fact]
    public async Task Item_list_pages_newest_first_and_following_cursors_sees_every_item_once()
    {
        await using var app = await ItemApp.StartAsync();
        await using var client = await app.ConnectAsync("lister");

        var empty = (await client.RequestAsync("item:list", new { limit = 2 })).AssertOk();
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("nextCursor").ValueKind);

        var created = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await client.RequestAsync("item:create", new { title = $"item {i}", startingPrice = 1m + i })).AssertOk());
        }
        var newestFirst = created.AsEnumerable().Reverse().Select(i => i.Snapshot()).ToArray();

        var pages = new List<string[]>();
        string? cursor = null;
        do
        {
            var page = (await client.RequestAsync("item:list", cursor is null ? new { limit = 2 } : (object)new { cursor, limit = 2 })).AssertOk();
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(i => i.Snapshot())]);
            var next = page.GetProperty("nextCursor");
            Assert.True(next.ValueKind is JsonValueKind.String or JsonValueKind.Null, page.GetRawText());
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            Assert.True(pages.Count <= 5, "the cursors never reach the end");
        }
        while (cursor is not null);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Length));
        Assert.Equal(newestFirst, pages.SelectMany(p => p));

        // Without a payload (or with an empty one) the default page holds all five, and no next page.
        foreach (var args in new object?[][] { [], [new { }], [new { limit = 100 }] })
        {
            var all = (await client.RequestAsync("item:list", args)).AssertOk();
            Assert.Equal(newestFirst, all.GetProperty("items").EnumerateArray().Select(i => i.Snapshot()));
            Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);
        }
    }

    [Fact]
    public async Task Item_list_refuses_bad_limits_and_payloads_with_invalid_input()
    {
        await using var app = await ItemApp.StartAsync();
        await using var client = await app.ConnectAsync("lister");
        (await client.RequestAsync("item:create", new { title = "one", startingPrice = 1m })).AssertOk();

        var bad = new Dictionary<string, object?[]>
        {
            ["limit 0"] = [new { limit = 0 }],
            ["limit 101"] = [new { limit = 101 }],
            ["limit -1"] = [new { limit = -1 }],
            ["limit 2.5"] = [new { limit = 2.5 }],
            ["limit is text"] = [new { limit = "two" }],
            ["string payload"] = ["page"],
            ["number payload"] = [2],
        };
        foreach (var (name, args) in bad)
        {
            (await client.RequestAsync("item:list", args)).AssertError("invalid_input", name);
        }
        var fine = (await client.RequestAsync("item:list", new { limit = 1 })).AssertOk();
        Assert.Single(fine.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_unreadable_cursor_gets_an_empty_last_page_not_an_error()
    {
        await using var app = await ItemApp.StartAsync();
        await using var client = await app.ConnectAsync("pager");
        (await client.RequestAsync("item:create", new { title = "one", startingPrice = 1m })).AssertOk();

        foreach (var cursor in new object[] { 5, "not-a-cursor", "-3", new { seq = 1 }, true })
        {
            var page = (await client.RequestAsync("item:list", new { cursor, limit = 2 })).AssertOk();
            Assert.Empty(page.GetProperty("items").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        }
        var http = await app.Http.GetFromJsonAsync<JsonElement>("/api/items?cursor=garbage");
        Assert.Empty(http.GetProperty("items").EnumerateArray());
        // No cursor, or an empty one, is the first page.
        foreach (var first in new object[] { new { limit = 2 }, new { cursor = "", limit = 2 }, new { cursor = (string?)null, limit = 2 } })
        {
            Assert.Single((await client.RequestAsync("item:list", first)).AssertOk().GetProperty("items").EnumerateArray());
        }
    }

    [Fact]
    public async Task Http_api_lists_items_pages_them_and_reads_one_or_404()
    {
        await using var app = await ItemApp.StartAsync();
        await using var client = await app.ConnectAsync("seller");
        await using var bidder = await app.ConnectAsync("bidder");
        var created = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await client.RequestAsync("item:create", new { title = $"http {i}", description = "d", startingPrice = 5m })).AssertOk());
        }
        var bid = (await bidder.RequestAsync("item:bid", new { itemId = created[1].Id(), amount = 6.25m })).AssertOk();
        created[1] = bid;

        var all = await app.Http.GetFromJsonAsync<JsonElement>("/api/items");
        Assert.Equal(created.AsEnumerable().Reverse().Select(i => i.Snapshot()),
            all.GetProperty("items").EnumerateArray().Select(i => i.Snapshot()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);

        var first = await app.Http.GetFromJsonAsync<JsonElement>("/api/items?limit=2");
        Assert.Equal([created[2].Id(), created[1].Id()], first.GetProperty("items").EnumerateArray().Select(i => i.Id()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await app.Http.GetFromJsonAsync<JsonElement>($"/api/items?limit=2&cursor={Uri.EscapeDataString(cursor!)}");
        Assert.Equal([created[0].Id()], second.GetProperty("items").EnumerateArray().Select(i => i.Id()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        foreach (var item in created)
        {
            ItemJson.AssertSameState(item, await app.GetExistingItemAsync(item.Id()));
        }
        Assert.Equal(("bidder", 6.25m, 2L), (created[1].Leader(), created[1].CurrentPrice(), created[1].Version()));

        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync("/api/items/does-not-exist")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Http.GetAsync("/api/items?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Http.GetAsync("/api/items?limit=101")).StatusCode);
    }
}
