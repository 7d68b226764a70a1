using System.Collections.Concurrent;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;
using Xunit.Abstractions;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// The app as a process under a steady bidding load (10 bidders over WebSocket and long-polling, 3 items),
/// stopped two ways. SIGTERM: every client is told "server shutting down" and disconnected, bids in flight
/// finish and are acked, exit code 0, and the store holds exactly the acked bids. SIGKILL: after a restart
/// on the same SQLite file every acked bid is there and no refused one is.
/// </summary>
public sealed class ShutdownAndCrashTests(ITestOutputHelper output)
{
    private const int Bidders = 10;

    [Fact]
    public async Task Sigterm_tells_every_client_finishes_the_bids_in_flight_and_loses_no_acked_bid()
    {
        await using var app = await ItemApp.StartAsync();
        var (seller, bidders, itemIds) = await SetUpAsync(app);
        var told = new ConcurrentDictionary<string, string>();
        var disconnected = new ConcurrentDictionary<string, string>();
        foreach (var client in bidders.Append(seller))
        {
            client.Socket.On("shutdown", r => told[client.Name] = r.GetValue<string>(0));
            client.Socket.OnDisconnected += (_, reason) => disconnected[client.Name] = reason;
        }
        var load = new BidLoad();
        load.Start(bidders, itemIds, TimeSpan.FromSeconds(5));
        await WaitForAcceptedAsync(load, 50);

        var exitCode = await app.Process.TerminateAsync();
        await load.StopAsync();

        Assert.Equal(0, exitCode);
        var everyone = bidders.Append(seller).Select(c => c.Name).Order().ToArray();
        Assert.Equal(everyone, told.Keys.Order());
        Assert.All(told.Values, reason => Assert.Equal("server shutting down", reason));
        await WaitUntilAsync(() => disconnected.Count == everyone.Length, "every client's disconnect");
        var drained = Assert.Single(app.Process.Events, e => e.GetProperty("@mt").GetString()!.StartsWith("Socket.IO drained at shutdown"));
        Assert.True(drained.GetProperty("HandlersDone").GetBoolean(), drained.GetRawText());
        output.WriteLine(drained.GetRawText());
        Assert.Contains(app.Process.Events, e => e.GetProperty("@mt").GetString() == "Item store flushed");

        // The process is gone: the file alone is the truth. Exactly the acked bids, nothing else.
        var stored = BidLoad.ReadStoredBids(app.DatabasePath);
        var attempts = load.Attempts;
        Report("SIGTERM", attempts, stored);
        Assert.Equal(attempts.Where(a => a.Accepted).Select(a => a.Key).ToHashSet(), stored);
        await DisposeAllAsync(bidders.Append(seller));
    }

    [Fact]
    public async Task Sigkill_during_bids_keeps_every_acked_bid_and_no_refused_one()
    {
        await using var app = await ItemApp.StartAsync();
        var (seller, bidders, itemIds) = await SetUpAsync(app);
        var load = new BidLoad();
        load.Start(bidders, itemIds, TimeSpan.FromSeconds(3));
        await WaitForAcceptedAsync(load, 150);

        var exitCode = await app.CrashAndRestartAsync();
        await load.StopAsync();

        Assert.Equal(137, exitCode); // 128 + SIGKILL
        var attempts = load.Attempts;
        var stored = BidLoad.ReadStoredBids(app.DatabasePath);
        Report("SIGKILL", attempts, stored);
        Assert.All(attempts.Where(a => a.Accepted), a => Assert.Contains(a.Key, stored));
        Assert.All(attempts.Where(a => a.RefusedWith is not null), a => Assert.DoesNotContain(a.Key, stored));
        // Nothing the clients did not send, and unanswered ones at most one per bidder (its bid in flight).
        Assert.Subset(attempts.Select(a => a.Key).ToHashSet(), stored);
        Assert.InRange(attempts.Count(a => a.Answer is null), 0, Bidders);

        // The restarted app reports the same: each item's bid count is its rows, and it serves again.
        foreach (var id in itemIds)
        {
            var item = await app.GetExistingItemAsync(id);
            Assert.Equal(stored.Count(s => s.ItemId == id), item.BidCount());
        }
        await using var after = await app.ConnectAsync("after-crash");
        var next = stored.Where(s => s.ItemId == itemIds[0]).Max(s => s.Cents) / 100m + 5;
        (await after.RequestAsync("item:bid", new { itemId = itemIds[0], amount = next })).AssertOk();
        await DisposeAllAsync(bidders.Append(seller));
    }

    [Fact]
    public async Task Sigterm_does_not_wait_for_polling_clients_that_went_away()
    {
        // As a newcomer tried it: two polling handshakes (curl), no poll after them, then Ctrl+C. Nothing
        // can deliver those sessions' last packets, so the drain forgets them instead of waiting out its
        // 10 s (SocketIO:DrainTimeout in appsettings.json) for polls that will never come.
        await using var app = await ItemApp.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            Assert.StartsWith("0{", await app.Http.GetStringAsync("/socket.io/?EIO=4&transport=polling"));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await app.Process.TerminateAsync());

        var drained = Assert.Single(app.Process.Events, e => e.GetProperty("@mt").GetString()!.StartsWith("Socket.IO drained at shutdown"));
        output.WriteLine($"{drained.GetRawText()} (exit after {clock.ElapsedMilliseconds} ms)");
        Assert.Equal(2, drained.GetProperty("Sessions").GetInt32());
        Assert.True(drained.GetProperty("SessionsDone").GetBoolean(), drained.GetRawText());
        Assert.Equal(0, drained.GetProperty("Left").GetInt32());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the stop took {clock.Elapsed} (drain timeout 10 s)");
    }

    private static async Task<(ItemClient Seller, List<ItemClient> Bidders, List<string> ItemIds)> SetUpAsync(ItemApp app)
    {
        var seller = await app.ConnectAsync("seller");
        var itemIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            itemIds.Add((await seller.RequestAsync("item:create", new { title = $"load {i}", startingPrice = 1m })).AssertOk().Id());
        }
        var bidders = new List<ItemClient>();
        for (var b = 0; b < Bidders; b++)
        {
            bidders.Add(await app.ConnectAsync($"bidder-{b}", b % 2 == 0 ? TransportProtocol.WebSocket : TransportProtocol.Polling));
        }
        return (seller, bidders, itemIds);
    }

    private static Task WaitForAcceptedAsync(BidLoad load, int count) =>
        WaitUntilAsync(() => load.Attempts.Count(a => a.Accepted) >= count, $"{count} accepted bids");

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(20);
        }
    }

    private void Report(string how, IReadOnlyList<BidAttempt> attempts, HashSet<(string, string, long)> stored)
    {
        var refused = attempts.Where(a => a.RefusedWith is not null).GroupBy(a => a.RefusedWith!)
            .Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"{how}: {attempts.Count} bids sent, {attempts.Count(a => a.Accepted)} acked ok, " +
            $"refused [{string.Join(", ", refused)}], {attempts.Count(a => a.Answer is null)} unanswered; " +
            $"{stored.Count} rows in the bids table after the stop");
    }

    private static async Task DisposeAllAsync(IEnumerable<ItemClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
