using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Session ids come from random bytes filled for many ids at once: still 20 URL-safe characters, never repeated.</summary>
public sealed class SessionIdTests
{
    [Fact]
    public void Ids_across_several_fills_are_20_url_safe_characters_and_distinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => EngineServer.NewSessionId()).ToList();
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{20}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
