using System.Text.Json;
using System.Text.Json.Nodes;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// The /item connection middleware takes the display name from <c>auth.name</c>: a missing, blank,
/// too long or otherwise invalid name is refused with CONNECT_ERROR (data <c>{code:"invalid_name"}</c>);
/// a valid one is kept, trimmed, as the user's name.
/// </summary>
public sealed class ItemConnectionTests
{
    private const string Required = "name required";

    /// <summary>label → (auth payload, or null for none; the refusal message, or null when accepted).</summary>
    private static readonly (string Label, JsonNode? Auth, bool HasAuth, string? Refusal, string? Owner)[] Cases =
    [
        ("no auth", null, false, Required, null),
        ("empty auth", new JsonObject(), true, Required, null),
        ("null name", new JsonObject { ["name"] = null }, true, Required, null),
        ("empty name", new JsonObject { ["name"] = "" }, true, Required, null),
        ("blank name", new JsonObject { ["name"] = "   " }, true, Required, null),
        ("number name", new JsonObject { ["name"] = 42 }, true, Required, null),
        ("object name", new JsonObject { ["name"] = new JsonObject { ["first"] = "a" } }, true, Required, null),
        ("name of 41 characters", new JsonObject { ["name"] = new string('n', 41) }, true, "name longer than 40 characters", null),
        ("bell character", new JsonObject { ["name"] = "bad\u0007name" }, true, "name contains control characters", null),
        ("newline", new JsonObject { ["name"] = "two\nlines" }, true, "name contains control characters", null),
        ("name of 40 characters", new JsonObject { ["name"] = new string('n', 40) }, true, null, new string('n', 40)),
        ("padded name", new JsonObject { ["name"] = "  Zoë  " }, true, null, "Zoë"),
    ];

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Node_client_with_an_invalid_name_gets_connect_error_invalid_name(string transports)
    {
        await using var app = await ItemApp.StartAsync();
        var cases = new JsonArray([.. Cases.Select(c =>
        {
            var node = new JsonObject { ["label"] = c.Label };
            if (c.HasAuth)
            {
                node["auth"] = c.Auth?.DeepClone();
            }
            return (JsonNode)node;
        })]);

        var run = await NodeClient.RunAsync("item-name-client.mjs", app.Address, transports, cases.ToJsonString());

        run.AssertSucceeded();
        var outcomes = run.Events.Where(e => e.Str("event") is "refused" or "connected").ToArray();
        Assert.Equal(Cases.Select(c => c.Label), outcomes.Select(o => o.Str("label")));
        foreach (var (expected, outcome) in Cases.Zip(outcomes))
        {
            if (expected.Refusal is { } message)
            {
                Assert.True(outcome.Str("event") == "refused", $"{expected.Label}: {outcome.GetRawText()}");
                Assert.Equal((expected.Label, message), (expected.Label, outcome.Str("message")));
                Assert.Equal("""{"code":"invalid_name"}""", outcome.GetProperty("data").GetRawText());
            }
            else
            {
                Assert.True(outcome.Str("event") == "connected", $"{expected.Label}: {outcome.GetRawText()}");
                var ack = run.Named("ack").Single(a => a.Str("client") == expected.Label);
                Assert.Equal(expected.Owner, ack.GetProperty("reply").AssertOk().Str("owner"));
            }
        }

        // Only the two accepted connections wrote anything.
        var owners = (await app.GetAllItemsAsync()).Select(i => i.Str("owner")).Order().ToArray();
        Assert.Equal(Cases.Where(c => c.Owner is not null).Select(c => c.Owner!).Order(), owners);
    }

    [Theory]
    [InlineData(TransportProtocol.WebSocket, "")]
    [InlineData(TransportProtocol.WebSocket, "   ")]
    [InlineData(TransportProtocol.Polling, "")]
    public async Task DotNet_client_with_a_blank_name_is_refused(TransportProtocol transport, string name)
    {
        await using var app = await ItemApp.StartAsync();
        using var refused = ItemClient.Create(app.Address, new { name }, transport);
        var error = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = false;
        refused.OnError += (_, e) => error.TrySetResult(e);
        refused.OnConnected += (_, _) => connected = true;

        _ = refused.ConnectAsync();

        Assert.Contains(Required, await error.Task.WaitAsync(ItemClient.Wait));
        Assert.False(connected);
        Assert.False(refused.Connected);
        await refused.DisconnectAsync().WaitAsync(ItemClient.Wait);

        // A valid name on the same server works.
        await using var accepted = await app.ConnectAsync("valid", transport);
        var item = (await accepted.RequestAsync("item:create", new { title = "x", startingPrice = 1m })).AssertOk();
        Assert.Equal("valid", item.Str("owner"));
        Assert.Equal([item.Id()], (await app.GetAllItemsAsync()).Select(i => i.Id()));
    }
}
