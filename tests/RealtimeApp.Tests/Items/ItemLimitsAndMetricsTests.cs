using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// The operator's settings reach the running app (environment variables, as a container would set them),
/// and /debug/metrics tells the live counts, back to zero once the clients have gone.
/// </summary>
public sealed class ItemLimitsAndMetricsTests
{
    [Fact]
    public async Task The_event_rate_limit_refuses_a_burst_of_bids_with_rate_limited_and_writes_none_of_them()
    {
        await using var app = await ItemApp.StartAsync(new Dictionary<string, string>
        {
            ["SocketIO__EventRateLimit__Burst"] = "4",
            ["SocketIO__EventRateLimit__PermitsPerSecond"] = "0.1",
        });
        await using var seller = await app.ConnectAsync("seller");
        await using var bidder = await app.ConnectAsync("bidder");
        var id = (await seller.RequestAsync("item:create", new { title = "limited", startingPrice = 1m })).AssertOk().Id();

        var answers = await Task.WhenAll(Enumerable.Range(1, 7).Select(n =>
            bidder.RequestAsync("item:bid", new { itemId = id, amount = 10m * n })));

        var limited = answers.Where(a => !a.GetProperty("ok").GetBoolean()
            && a.GetProperty("error").GetProperty("code").GetString() == "rate_limited").ToArray();
        Assert.Equal(3, limited.Length);
        Assert.All(limited, a => a.AssertError("rate_limited"));
        Assert.All(limited, a => Assert.Equal("rate limited", a.GetProperty("error").GetProperty("message").GetString()));
        var accepted = answers.Count(a => a.GetProperty("ok").GetBoolean());
        Assert.Equal(accepted, (await app.GetExistingItemAsync(id)).BidCount());
        Assert.True(accepted >= 1, string.Join('\n', answers.Select(a => a.GetRawText())));
    }

    [Fact]
    public async Task MaxSessions_from_the_environment_refuses_the_next_handshake_with_503()
    {
        await using var app = await ItemApp.StartAsync(new Dictionary<string, string> { ["SocketIO__MaxSessions"] = "1" });
        await using var first = await app.ConnectAsync("first");

        var refused = await app.Http.GetAsync("/socket.io/?EIO=4&transport=polling");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("""{"code":4,"message":"Too many sessions"}""", await refused.Content.ReadAsStringAsync());
        (await first.RequestAsync("item:create", new { title = "still served", startingPrice = 1m })).AssertOk();
    }

    [Fact]
    public async Task Metrics_count_the_live_sockets_rooms_and_sessions_and_read_zero_after_they_leave()
    {
        await using var app = await ItemApp.StartAsync();
        var clients = new List<ItemClient>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await app.ConnectAsync($"user-{i}"));
        }
        var id = (await clients[0].RequestAsync("item:create", new { title = "watched", startingPrice = 1m })).AssertOk().Id();
        (await clients[1].RequestAsync("item:watch", new { itemId = id })).AssertOk();

        var live = await ReadAsync(app);
        Assert.Equal(3, live.GetProperty("socketIO").GetProperty("sockets").GetInt32());
        Assert.Equal(3, live.GetProperty("socketIO").GetProperty("engineSessions").GetInt32());
        Assert.True(live.GetProperty("socketIO").GetProperty("rooms").GetInt32() >= 4, live.GetRawText()); // 3 own + the item's
        Assert.True(live.GetProperty("process").GetProperty("rssBytes").GetInt64() > 0);

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
        // The layers let go one after another (the engine's table, then the Socket.IO connection), so the
        // counts are read until all of them are zero, or 20 s have passed and one has stuck.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement after;
        while (Counts(after = await ReadAsync(app)) != (0, 0, 0, 0, 0, 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal((0, 0, 0, 0, 0, 0), Counts(after));
        Assert.Equal(0, after.GetProperty("errorsLogged").GetInt64());
    }

    private static (int Sessions, int Connections, int Sockets, int Rooms, int PendingAcks, int Running) Counts(JsonElement metrics)
    {
        var io = metrics.GetProperty("socketIO");
        return (io.GetProperty("engineSessions").GetInt32(), io.GetProperty("connections").GetInt32(),
            io.GetProperty("sockets").GetInt32(), io.GetProperty("rooms").GetInt32(), io.GetProperty("pendingAcks").GetInt32(),
            io.GetProperty("runningHandlers").GetInt32());
    }

    private static Task<JsonElement> ReadAsync(ItemApp app) => app.Http.GetFromJsonAsync<JsonElement>("/debug/metrics");
}
