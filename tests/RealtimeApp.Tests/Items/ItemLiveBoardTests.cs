using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// Several clients on the /item board see each other's creates, bids and closes live: item:created,
/// item:updated and item:closed go to every client, bid:placed only to the item's watchers. The same
/// story with the .NET SocketIOClient and with Node's socket.io-client, over polling and WebSocket.
/// </summary>
public sealed class ItemLiveBoardTests
{
    public static TheoryData<TransportProtocol> DotNetTransports => new() { TransportProtocol.Polling, TransportProtocol.WebSocket };

    [Theory]
    [MemberData(nameof(DotNetTransports))]
    public async Task DotNet_clients_see_each_others_creates_bids_and_closes(TransportProtocol transport)
    {
        await using var app = await ItemApp.StartAsync();
        await using var alice = await app.ConnectAsync("alice", transport);
        await using var bob = await app.ConnectAsync("bob", transport);
        await using var carol = await app.ConnectAsync("carol", transport);
        ItemClient[] everyone = [alice, bob, carol];

        // alice creates: everyone (alice too) gets item:created with the acked view.
        var created = (await alice.RequestAsync("item:create",
            new { title = "  Brass lamp ", description = "works", startingPrice = 10.00m })).AssertOk();
        var id = created.Id();
        Assert.Equal("Brass lamp", created.Str("title"));
        Assert.Equal("alice", created.Str("owner"));
        Assert.Equal((10m, 10m, null, 0, "open", 1L),
            (created.GetProperty("startingPrice").GetDecimal(), created.CurrentPrice(), created.Leader(), created.BidCount(), created.Status(), created.Version()));
        foreach (var client in everyone)
        {
            ItemJson.AssertSameState(created, await client.WaitForAsync("item:created", id, 1));
        }

        // alice and bob watch; carol bids: everyone sees item:updated, the watchers bid:placed.
        (await alice.RequestAsync("item:watch", new { itemId = id })).AssertOk();
        (await bob.RequestAsync("item:watch", new { itemId = id })).AssertOk();
        var first = (await carol.RequestAsync("item:bid", new { itemId = id, amount = 10m })).AssertOk();
        Assert.Equal(("carol", 10m, 1, 2L), (first.Leader(), first.CurrentPrice(), first.BidCount(), first.Version()));
        foreach (var client in everyone)
        {
            ItemJson.AssertSameState(first, await client.WaitForAsync("item:updated", id, 2));
        }
        foreach (var watcher in new[] { alice, bob })
        {
            var placed = await watcher.WaitForAsync("bid:placed", id, 2);
            Assert.Equal((id, 10m, "carol"), (placed.Str("itemId"), placed.GetProperty("amount").GetDecimal(), placed.Str("bidder")));
            ItemJson.AssertSameState(first, placed.GetProperty("item"));
        }

        // bob stops watching and outbids carol: only alice still gets bid:placed.
        (await bob.RequestAsync("item:unwatch", new { itemId = id })).AssertOk();
        var second = (await bob.RequestAsync("item:bid", new { itemId = id, amount = 11.50m })).AssertOk();
        Assert.Equal(("bob", 11.50m, 2, 3L), (second.Leader(), second.CurrentPrice(), second.BidCount(), second.Version()));
        foreach (var client in everyone)
        {
            ItemJson.AssertSameState(second, await client.WaitForAsync("item:updated", id, 3));
        }
        ItemJson.AssertSameState(second, (await alice.WaitForAsync("bid:placed", id, 3)).GetProperty("item"));

        // alice closes: everyone gets item:closed; a later bid is refused.
        var closed = (await alice.RequestAsync("item:close", new { itemId = id })).AssertOk();
        Assert.Equal(("closed", 4L, "bob", 11.50m), (closed.Status(), closed.Version(), closed.Leader(), closed.CurrentPrice()));
        foreach (var client in everyone)
        {
            ItemJson.AssertSameState(closed, await client.WaitForAsync("item:closed", id, 4));
        }
        (await carol.RequestAsync("item:bid", new { itemId = id, amount = 50m })).AssertError("item_closed");

        // Each socket's events arrive in order, so by item:closed every earlier broadcast is in: exactly these.
        foreach (var client in everyone)
        {
            Assert.Equal([1L], Versions(client, "item:created"));
            Assert.Equal([2L, 3L], Versions(client, "item:updated"));
            Assert.Equal([4L], Versions(client, "item:closed"));
        }
        Assert.Equal([2L, 3L], Versions(alice, "bid:placed"));
        Assert.Equal([2L], Versions(bob, "bid:placed"));
        Assert.Empty(carol.Received("bid:placed"));

        ItemJson.AssertSameState(closed, await app.GetExistingItemAsync(id));
    }

    [Theory]
    [InlineData("websocket", "Json")]
    [InlineData("polling", "Json")]
    // The same board with SocketIO:Parser=MsgPack and clients on socket.io-msgpack-parser.
    [InlineData("websocket", "MsgPack")]
    [InlineData("polling", "MsgPack")]
    public async Task Node_clients_see_each_others_creates_bids_and_closes(string transports, string parser)
    {
        await using var app = await ItemApp.StartAsync(new Dictionary<string, string> { ["SocketIO__Parser"] = parser });

        var run = await NodeClient.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["SOCKETIO_PARSER"] = parser.ToLowerInvariant() },
            "item-live-client.mjs", app.Address, transports);

        run.AssertSucceeded();
        var acks = run.Named("ack").ToArray();
        string[] expectedSteps =
        [
            "alice item:create", "alice item:watch", "bob item:watch", "carol item:bid", "bob item:unwatch",
            "bob item:bid", "alice item:close", "carol item:bid",
        ];
        Assert.Equal(expectedSteps, acks.Select(a => $"{a.Str("client")} {a.Str("request")}"));
        var views = acks[..7].Where(a => a.GetProperty("reply").TryGetProperty("item", out _))
            .Select(a => a.GetProperty("reply").AssertOk()).ToArray();
        foreach (var ack in acks[..7])
        {
            ack.GetProperty("reply").AssertOk();
        }
        acks[7].GetProperty("reply").AssertError("item_closed");
        var (created, first, second, closed) = (views[0], views[1], views[2], views[3]);
        var id = created.Id();
        Assert.Equal(("alice", 1L, "open"), (created.Str("owner"), created.Version(), created.Status()));
        Assert.Equal(("carol", 10m, 1, 2L), (first.Leader(), first.CurrentPrice(), first.BidCount(), first.Version()));
        Assert.Equal(("bob", 11.5m, 2, 3L), (second.Leader(), second.CurrentPrice(), second.BidCount(), second.Version()));
        Assert.Equal(("closed", 4L), (closed.Status(), closed.Version()));

        JsonElement[] Got(string client, string name) => [.. run.Named("received")
            .Where(r => r.Str("client") == client && r.Str("name") == name).Select(r => r.GetProperty("payload"))];
        foreach (var client in new[] { "alice", "bob", "carol" })
        {
            ItemJson.AssertSameState(created, Assert.Single(Got(client, "item:created")));
            var updates = Got(client, "item:updated");
            Assert.Equal(2, updates.Length);
            ItemJson.AssertSameState(first, updates[0]);
            ItemJson.AssertSameState(second, updates[1]);
            ItemJson.AssertSameState(closed, Assert.Single(Got(client, "item:closed")));
        }
        Assert.Equal([2L, 3L], Got("alice", "bid:placed").Select(p => p.GetProperty("item").Version()));
        var bobPlaced = Assert.Single(Got("bob", "bid:placed"));
        Assert.Equal((id, 10m, "carol"), (bobPlaced.Str("itemId"), bobPlaced.GetProperty("amount").GetDecimal(), bobPlaced.Str("bidder")));
        Assert.Empty(Got("carol", "bid:placed"));

        ItemJson.AssertSameState(closed, await app.GetExistingItemAsync(id));
    }

    private static long[] Versions(ItemClient client, string broadcast) =>
        [.. client.Received(broadcast).Select(p => (broadcast == "bid:placed" ? p.GetProperty("item") : p).Version())];
}
