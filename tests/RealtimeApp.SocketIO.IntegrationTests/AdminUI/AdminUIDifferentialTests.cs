using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.AdminUI;

/// <summary>
/// Our admin namespace side by side with Node's: tests/js/admin-ui-client.mjs runs the same dashboard session
/// against Node's socket.io with @socket.io/admin-ui 0.5.1's own instrument() (admin-ui-reference-server.mjs)
/// and against ours, and every dashboard event must come with the same argument count, object keys and value
/// types. Values (ids, dates, counts, headers) are not compared: they differ by run.
/// </summary>
public sealed class AdminUIDifferentialTests
{
    [Fact]
    public async Task The_dashboard_receives_the_same_events_and_shapes_as_from_Nodes_instrument()
    {
        await using var ours = await AdminUITestServer.StartAsync();
        await using var node = await ReferenceSocketIOServer.StartAsync(msgPack: false, script: "admin-ui-reference-server.mjs");

        // Node's reference runs with auth:false; ours with basic auth (its only extra event is "session").
        var expected = await NodeClient.RunAsync("admin-ui-client.mjs", node.BaseAddress.ToString(), "full");
        var actual = await NodeClient.RunAsync("admin-ui-client.mjs", ours.BaseAddress.ToString(), "full", AdminUITestServer.Auth());

        expected.AssertSucceeded();
        actual.AssertSucceeded();
        var expectedShapes = Shapes(expected);
        var actualShapes = Shapes(actual);
        // The reference is the dashboard feed it should be (a broken script would compare two empty runs).
        Assert.Superset(new HashSet<string> { "config", "server_stats", "all_sockets", "socket_connected", "room_joined",
            "room_left", "event_sent", "event_received", "socket_disconnected" }, expectedShapes.Keys.ToHashSet());
        Assert.Equal(expectedShapes.Keys.Order(), actualShapes.Keys.Order());
        foreach (var (name, shape) in expectedShapes)
        {
            Assert.True(shape == actualShapes[name], $"{name}\n Node: {shape}\n ours: {actualShapes[name]}");
        }
    }

    /// <summary>Per dashboard event (but "session"), the merged shape of the arguments of every occurrence.</summary>
    private static Dictionary<string, string> Shapes(NodeRun run) =>
        run.Named("admin")
            .Where(e => e.GetProperty("name").GetString() != "session")
            .GroupBy(e => e.GetProperty("name").GetString()!)
            .ToDictionary(g => g.Key, g => Render(g.Select(e => Shape(e.GetProperty("args"), null)).Aggregate(Merge)));

    // A shape: a JSON type name, an object's keys with their shapes, or an array's merged element shape.
    private sealed record ShapeNode(string Type, SortedDictionary<string, ShapeNode>? Keys = null, ShapeNode? Items = null);

    // Maps whose keys are data (header names, query parameters, socket.data) count as "map" only.
    private static readonly HashSet<string> Maps = ["headers", "query", "data"];

    private static ShapeNode Shape(JsonElement value, string? key) => value.ValueKind switch
    {
        JsonValueKind.Object when key is not null && Maps.Contains(key) => new("map"),
        JsonValueKind.Object => new("object", new SortedDictionary<string, ShapeNode>(
            value.EnumerateObject().ToDictionary(p => p.Name, p => Shape(p.Value, p.Name)), StringComparer.Ordinal)),
        // The top-level argument list keeps its positions (argument count and each argument's type).
        JsonValueKind.Array when key is null => new("args", new SortedDictionary<string, ShapeNode>(
            value.EnumerateArray().Select((a, i) => (i, a)).ToDictionary(p => p.i.ToString("D2"), p => Shape(p.a, "arg")))),
        JsonValueKind.Array => new("array", Items: value.EnumerateArray().Select(e => Shape(e, "item")).DefaultIfEmpty().Aggregate(Merge)),
        JsonValueKind.String => new("string"),
        JsonValueKind.Number => new("number"),
        JsonValueKind.True or JsonValueKind.False => new("boolean"),
        _ => new("null"),
    };

    // Event arguments (e.g. an emitted event's own values) differ in type by event, so what an array holds is
    // merged: objects by key (a key seen once counts), other differences become "mixed".
    private static ShapeNode Merge(ShapeNode? a, ShapeNode? b)
    {
        if (a is null || b is null)
        {
            return (a ?? b)!;
        }
        if (a.Type != b.Type)
        {
            return new("mixed");
        }
        SortedDictionary<string, ShapeNode>? keys = null;
        if (a.Keys is not null || b.Keys is not null)
        {
            keys = new(StringComparer.Ordinal);
            foreach (var (k, v) in (a.Keys ?? []).Concat(b.Keys ?? []))
            {
                keys[k] = keys.TryGetValue(k, out var seen) ? Merge(seen, v) : v;
            }
        }
        return new(a.Type, keys, a.Items is null && b.Items is null ? null : Merge(a.Items, b.Items));
    }

    private static string Render(ShapeNode? shape) => shape switch
    {
        null => "-",
        { Keys: { } keys } => $"{shape.Type}{{{string.Join(", ", keys.Select(p => $"{p.Key}: {Render(p.Value)}"))}}}",
        { Items: { } items } => $"{shape.Type}[{Render(items)}]",
        _ => shape.Type,
    };
}
