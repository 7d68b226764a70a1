using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// Every bad <c>item:create</c> is answered with an <c>invalid_input</c> error ack, the connection keeps
/// working, and nothing is written (the board holds the same items before and after).
/// </summary>
public sealed class ItemCreateValidationTests(ItemBoardFixture board) : IClassFixture<ItemBoardFixture>
{
    /// <summary>The arguments emitted with <c>item:create</c>, by case name.</summary>
    private static readonly Dictionary<string, object?[]> Cases = new()
    {
        ["missing title"] = [new { description = "d", startingPrice = 10m }],
        ["blank title"] = [new { title = "   ", startingPrice = 10m }],
        ["empty title"] = [new { title = "", startingPrice = 10m }],
        ["title of 121 characters"] = [new { title = new string('t', 121), startingPrice = 10m }],
        ["title of 121 emoji"] = [new { title = string.Concat(Enumerable.Repeat("\U0001F600", 121)), startingPrice = 10m }],
        ["description of 2001 characters"] = [new { title = "ok", description = new string('d', 2001), startingPrice = 10m }],
        ["missing startingPrice"] = [new { title = "ok" }],
        ["null startingPrice"] = [new { title = "ok", startingPrice = (decimal?)null }],
        ["zero startingPrice"] = [new { title = "ok", startingPrice = 0m }],
        ["negative startingPrice"] = [new { title = "ok", startingPrice = -5m }],
        ["startingPrice with 3 decimals"] = [new { title = "ok", startingPrice = 10.005m }],
        ["startingPrice above 1,000,000,000"] = [new { title = "ok", startingPrice = 1_000_000_000.01m }],
        ["startingPrice beyond decimal range"] = [new { title = "ok", startingPrice = 1e30 }],
        ["closesAt in the past"] = [new { title = "ok", startingPrice = 10m, closesAt = DateTimeOffset.UtcNow.AddMinutes(-5) }],
        ["no payload"] = [],
        ["null payload"] = [null],
        ["string payload"] = ["Lamp"],
        ["number payload"] = [42],
        ["array payload"] = [new object[] { "Lamp", 10 }],
        ["title is a number"] = [new { title = 5, startingPrice = 10m }],
        ["title is an object"] = [new { title = new { text = "Lamp" }, startingPrice = 10m }],
        ["description is a number"] = [new { title = "ok", description = 7, startingPrice = 10m }],
        ["startingPrice is text"] = [new { title = "ok", startingPrice = "ten" }],
        ["startingPrice is a numeric string"] = [new { title = "ok", startingPrice = "10" }],
        ["startingPrice is a boolean"] = [new { title = "ok", startingPrice = true }],
        ["startingPrice is an array"] = [new { title = "ok", startingPrice = new[] { 10 } }],
        ["closesAt is not a date"] = [new { title = "ok", startingPrice = 10m, closesAt = "tomorrow" }],
        ["closesAt is a number"] = [new { title = "ok", startingPrice = 10m, closesAt = 1_900_000_000 }],
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_create_is_refused_with_invalid_input_and_writes_nothing(string name)
    {
        var before = await board.App.GetAllItemsAsync();

        var ack = await board.Olga.RequestAsync("item:create", Cases[name]!);

        ack.AssertError("invalid_input", name);
        var after = await board.App.GetAllItemsAsync();
        Assert.Equal(before.Select(i => i.Snapshot()), after.Select(i => i.Snapshot()));

        // The connection still works: a good create right after is accepted.
        var good = (await board.Olga.RequestAsync("item:create", new { title = $"after {name}", startingPrice = 1m })).AssertOk();
        Assert.Equal(before.Count + 1, (await board.App.GetAllItemsAsync()).Count);
        Assert.Equal(good.Id(), (await board.App.GetAllItemsAsync())[0].Id());
    }

    [Fact]
    public async Task Lengths_count_what_a_person_sees_emoji_and_joined_sequences_are_one_character_each()
    {
        // 😀 is two UTF-16 units; 👨‍👩‍👧 is one character of eight units (three emoji joined by zero-width joiners).
        var grin = "\U0001F600";
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        foreach (var title in new[] { string.Concat(Enumerable.Repeat(grin, 61)), string.Concat(Enumerable.Repeat(grin, 120)),
            string.Concat(Enumerable.Repeat(family, 120)) })
        {
            var created = (await board.Olga.RequestAsync("item:create", new
            {
                title, description = string.Concat(Enumerable.Repeat(grin, 2000)), startingPrice = 1m,
            })).AssertOk();
            Assert.Equal(title, created.Str("title"));
            ItemJson.AssertSameState(created, await board.App.GetExistingItemAsync(created.Id()));
        }
        (await board.Olga.RequestAsync("item:create", new { title = string.Concat(Enumerable.Repeat(family, 121)), startingPrice = 1m }))
            .AssertError("invalid_input", "121 joined emoji");
    }

    [Fact]
    public async Task Limits_are_inclusive_title_120_description_2000_price_one_cent_to_a_billion()
    {
        var closesAt = DateTimeOffset.UtcNow.AddDays(1);
        var longest = (await board.Olga.RequestAsync("item:create", new
        {
            title = new string('t', 120), description = new string('d', 2000), startingPrice = 1_000_000_000m, closesAt,
        })).AssertOk();
        Assert.Equal((120, 2000, 1_000_000_000m, "open"),
            (longest.Str("title").Length, longest.Str("description").Length, longest.CurrentPrice(), longest.Status()));
        Assert.Equal(closesAt.UtcTicks / 10_000, longest.GetProperty("closesAt").GetDateTimeOffset().UtcTicks / 10_000);
        ItemJson.AssertSameState(longest, await board.App.GetExistingItemAsync(longest.Id()));

        var cheapest = (await board.Olga.RequestAsync("item:create", new { title = "cent", startingPrice = 0.01m })).AssertOk();
        Assert.Equal((0.01m, 0.01m, "", 1L),
            (cheapest.GetProperty("startingPrice").GetDecimal(), cheapest.CurrentPrice(), cheapest.Str("description"), cheapest.Version()));
        ItemJson.AssertSameState(cheapest, await board.App.GetExistingItemAsync(cheapest.Id()));
    }
}
