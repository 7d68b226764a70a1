using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Transports;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>Test servers for the raw-protocol tests.</summary>
internal static class RawTestServers
{
    /// <summary>
    /// Our endpoint with the heartbeat pushed far away (20 s / 20 s), so payload assertions are exact (no
    /// ping can slip into a poll) however slow the machine is. Heartbeat tests use the default 300/200.
    /// </summary>
    public static Task<EngineTestServer> StartQuietAsync(Action<EngineIOOptions>? configure = null) =>
        EngineTestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromSeconds(20);
            o.PingTimeout = TimeSpan.FromSeconds(20);
            configure?.Invoke(o);
        });

    /// <summary>The live session object for <paramref name="sid"/> (asserts it exists).</summary>
    public static EngineSession Session(this EngineTestServer server, string sid)
    {
        Assert.True(server.Server.TryGetSession(sid, out var session), $"no session {sid} on the server");
        return session;
    }

    /// <summary>Waits until the server forgot every session (its table is empty).</summary>
    public static Task WaitForNoSessionsAsync(this EngineTestServer server, TimeSpan? timeout = null) =>
        RawEngineClient.WaitUntilAsync(() => server.Server.SessionCount == 0, timeout ?? TimeSpan.FromSeconds(10),
            $"SessionCount to return to 0 (now {server.Server.SessionCount})");

    /// <summary>
    /// Waits until the server holds a GET for <paramref name="sid"/> (its polling transport has the poll),
    /// so a test that races a second request against it knows which one came first.
    /// </summary>
    public static Task WaitForHeldPollAsync(this EngineTestServer server, string sid, TimeSpan? timeout = null) =>
        RawEngineClient.WaitUntilAsync(
            () => server.Server.TryGetSession(sid, out var s) && s.CurrentTransport is PollingTransport { HasPendingPoll: true },
            timeout ?? TimeSpan.FromSeconds(10), $"the server to hold a GET for {sid}");

    /// <summary>Waits until the server has a POST for <paramref name="sid"/> under way (and no GET is held).</summary>
    public static Task WaitForPostInFlightAsync(this EngineTestServer server, string sid, TimeSpan? timeout = null) =>
        RawEngineClient.WaitUntilAsync(
            () => server.Server.TryGetSession(sid, out var s)
                && s.CurrentTransport is PollingTransport { HasPendingPoll: false, HasPendingPost: true },
            timeout ?? TimeSpan.FromSeconds(10), $"the server to have a POST under way for {sid}");
}
