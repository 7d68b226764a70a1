using System.Text.Json;

namespace RealtimeApp.Tests.Support;

/// <summary>Reads startup-trace CLEF events the way the assertions need them.</summary>
internal static class TraceAssertions
{
    public static string Phase(this JsonElement e) => e.GetProperty("Phase").GetString()!;

    public static string? Endpoint(this JsonElement e) =>
        e.TryGetProperty("Endpoint", out var value) ? value.GetString() : null;

    public static long Sequence(this JsonElement e) => e.GetProperty("Sequence").GetInt64();

    public static JsonElement Single(this IEnumerable<JsonElement> phases, string phase, string? endpoint = null)
    {
        var matches = phases.Where(e => e.Phase() == phase && (endpoint is null || e.Endpoint() == endpoint)).ToArray();
        Assert.True(matches.Length == 1,
            $"expected exactly one '{phase}' for {endpoint ?? "the host"}, found {matches.Length}");
        return matches[0];
    }

    /// <summary>bind &lt; listen &lt; serve for one socket, each exactly once; returns the three events.</summary>
    public static (JsonElement Bind, JsonElement Listen, JsonElement Serve) AssertSocketSequence(
        this IReadOnlyList<JsonElement> phases, string endpoint)
    {
        var bind = phases.Single("bind", endpoint);
        var listen = phases.Single("listen", endpoint);
        var serve = phases.Single("serve", endpoint);
        Assert.True(bind.Sequence() < listen.Sequence(), $"bind before listen on {endpoint}");
        Assert.True(listen.Sequence() < serve.Sequence(), $"listen before serve on {endpoint}");

        // The kernel's own view of the same socket: not yet accepting at bind, accepting at listen.
        Assert.Equal(0, bind.GetProperty("SO_ACCEPTCONN").GetInt32());
        Assert.Equal(1, listen.GetProperty("SO_ACCEPTCONN").GetInt32());
        return (bind, listen, serve);
    }
}
