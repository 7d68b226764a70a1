using System.Text.Json.Nodes;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// Who acts on /item is the signed-in account of the socket's handshake, never a name the client sends: anyone
/// may connect and watch (whatever <c>auth</c> says), create/bid/close answer <c>unauthenticated</c> without an
/// account, and a name in <c>auth</c> or in a payload changes nothing about who the owner or the leader is.
/// </summary>
public sealed class ItemConnectionTests
{
    /// <summary>(label, account or null, auth payload or null for none; the owner the create gets, or null when refused).</summary>
    private static readonly (string Label, string? Account, JsonNode? Auth, string? Owner)[] Cases =
    [
        ("anonymous, no auth", null, null, null),
        ("anonymous, claims olga", null, new JsonObject { ["name"] = "olga" }, null),
        ("anonymous, blank name", null, new JsonObject { ["name"] = "   " }, null),
        ("mallory, claims olga", "mallory", new JsonObject { ["name"] = "olga" }, "mallory"),
        ("Zoë Smith, number name", "Zoë Smith", new JsonObject { ["name"] = 42 }, "Zoë Smith"),
        ("olga, no auth", "olga", null, "olga"),
    ];

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Node_clients_act_as_their_account_whatever_auth_and_payload_say(string transports)
    {
        await using var app = await ItemApp.StartAsync();
        var cases = new JsonArray([.. Cases.Select(c =>
        {
            var node = new JsonObject { ["label"] = c.Label };
            if (c.Account is { } account)
            {
                node["account"] = account;
            }
            if (c.Auth is { } auth)
            {
                node["auth"] = auth.DeepClone();
            }
            return (JsonNode)node;
        })]);

        var run = await NodeClient.RunAsync("item-identity-client.mjs", app.Address, transports, cases.ToJsonString());

        run.AssertSucceeded();
        // Everyone connects: watching needs no account.
        Assert.Equal(Cases.Select(c => c.Label), run.Named("connected").Select(o => o.Str("label")));
        foreach (var expected in Cases)
        {
            var reply = run.Named("ack").Single(a => a.Str("client") == expected.Label).GetProperty("reply");
            if (expected.Owner is { } owner)
            {
                Assert.Equal((expected.Label, owner), (expected.Label, reply.AssertOk().Str("owner")));
            }
            else
            {
                reply.AssertError("unauthenticated", expected.Label);
            }
        }

        // Only the signed-in connections wrote anything, each as its own account.
        var owners = (await app.GetAllItemsAsync()).Select(i => i.Str("owner")).Order().ToArray();
        Assert.Equal(Cases.Where(c => c.Owner is not null).Select(c => c.Owner!).Order(), owners);
    }

    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task Anonymous_socket_lists_watches_and_hears_broadcasts_but_cannot_create_bid_or_close(TransportProtocol transport)
    {
        await using var app = await ItemApp.StartAsync();
        await using var olga = await app.ConnectAsync("olga", transport);
        await using var ben = await app.ConnectAsync("ben", transport);
        await using var watcher = await app.ConnectAnonymousAsync("watcher", transport, auth: new { name = "olga" });
        var item = (await olga.RequestAsync("item:create", new { title = "Lamp", startingPrice = 10m })).AssertOk();

        (await watcher.RequestAsync("item:list", new { limit = 10 })).AssertOk();
        (await watcher.RequestAsync("item:watch", new { itemId = item.Id() })).AssertOk();
        await watcher.WaitForAsync("item:created", item.Id(), 1);
        (await ben.RequestAsync("item:bid", new { itemId = item.Id(), amount = 10m })).AssertOk();
        var placed = await watcher.WaitForAsync("bid:placed", item.Id(), 2);
        Assert.Equal("ben", placed.Str("bidder"));

        (await watcher.RequestAsync("item:create", new { title = "Mine?", startingPrice = 1m })).AssertError("unauthenticated");
        (await watcher.RequestAsync("item:bid", new { itemId = item.Id(), amount = 50m })).AssertError("unauthenticated");
        (await watcher.RequestAsync("item:close", new { itemId = item.Id() })).AssertError("unauthenticated");

        // Nothing was written by the watcher: still one item, at version 2, open, led by ben.
        var stored = await app.GetExistingItemAsync(item.Id());
        Assert.Equal((2L, "open", "ben"), (stored.Version(), stored.Status(), stored.Leader()));
        Assert.Single(await app.GetAllItemsAsync());
    }

    [Fact]
    public async Task A_client_claiming_another_name_in_auth_or_payload_acts_only_as_itself()
    {
        await using var app = await ItemApp.StartAsync();
        await using var olga = await app.ConnectAsync("olga");
        await using var mallory = await ItemClient.ConnectAsync(app.Address, "mallory", TransportProtocol.WebSocket, auth: new { name = "olga" });
        var olgas = (await olga.RequestAsync("item:create", new { title = "Olga's clock", startingPrice = 5m })).AssertOk();

        // Forged owner in a create: the item is mallory's.
        var forged = (await mallory.RequestAsync("item:create", new { title = "Not olga's", startingPrice = 1m, owner = "olga" })).AssertOk();
        Assert.Equal("mallory", forged.Str("owner"));
        // Forged bidder in a bid: mallory leads, as mallory.
        var bid = (await mallory.RequestAsync("item:bid", new { itemId = olgas.Id(), amount = 5m, bidder = "olga", leader = "olga" })).AssertOk();
        Assert.Equal("mallory", bid.Leader());
        // Closing olga's item while claiming to be olga: not the owner.
        (await mallory.RequestAsync("item:close", new { itemId = olgas.Id(), owner = "olga", user = "olga" })).AssertError("not_owner");
        // And olga, who really is olga, cannot bid on mallory's item as mallory, nor close it.
        (await olga.RequestAsync("item:close", new { itemId = forged.Id() })).AssertError("not_owner");

        var stored = await app.GetExistingItemAsync(olgas.Id());
        Assert.Equal(("olga", "mallory", "open"), (stored.Str("owner"), stored.Leader(), stored.Status()));
    }
}
