using System.Diagnostics;
using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// The v4 heartbeat with the official suite's timings (pingInterval 300 ms, pingTimeout 200 ms): the server
/// pings, a pong keeps the session, no pong closes it with "ping timeout". Timing assertions have strict
/// lower bounds (the server may not act early) and generous upper bounds (CI machines are busy).
/// </summary>
public sealed class RawHeartbeatTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Polling_the_ping_arrives_on_a_held_get_after_the_ping_interval()
    {
        // The pong deadline is relaxed to 2 s: the GET must only reach the server before the session times
        // out (interval + timeout), and 500 ms is too short for a busy CI box; the interval is what is measured.
        await using var server = await EngineTestServer.StartAsync(o => o.PingTimeout = TimeSpan.FromSeconds(2));
        using var client = new RawEngineClient(server.BaseAddress);

        var clock = Stopwatch.StartNew();
        var (sid, _) = await client.HandshakeAsync();
        var body = await client.PollAsync(sid);

        Assert.Equal("2", body);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(280), Generous);
    }

    [Fact]
    public async Task Polling_answering_each_ping_with_a_pong_keeps_the_session_across_several_intervals()
    {
        // Pings every 300 ms; the pong deadline is relaxed to 1 s so a busy CI box answers in time (the
        // 200 ms deadline itself is what the no-pong tests measure).
        await using var server = await EngineTestServer.StartAsync(o => o.PingTimeout = TimeSpan.FromSeconds(1));
        using var client = new RawEngineClient(server.BaseAddress);
        var clock = Stopwatch.StartNew();
        var (sid, _) = await client.HandshakeAsync();

        const int pings = 6;
        for (var i = 0; i < pings; i++)
        {
            Assert.Equal("2", await client.PollAsync(sid));
            await client.PostOkAsync(sid, "3");
        }

        // Each ping comes a full interval after the previous pong, so the session lived past 6 x 300 ms,
        // longer than interval + timeout (1.3 s), after which it would be gone without the pongs.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(pings * 300 - 30), $"{pings} pings after only {clock.Elapsed}");
        Assert.DoesNotContain(server.Handler.Closed, c => c.Sid == sid);
        Assert.True(server.Server.TryGetSession(sid, out var session) && session.IsOpen);

        // And it still carries messages.
        await client.PostOkAsync(sid, "4alive");
        var echo = await client.PollAsync(sid);
        Assert.Contains("4alive", echo.Split('\u001e')); // a ping may come before or after it in the payload on a slow machine
    }

    [Fact]
    public async Task Polling_without_a_pong_the_session_closes_with_ping_timeout_after_interval_plus_timeout()
    {
        // Timeout 2 s (not 200 ms) so the first GET surely reaches the server before the session times out
        // on a busy CI box; what is asserted is the same: no close before interval + timeout (2.3 s).
        await using var server = await EngineTestServer.StartAsync(o => o.PingTimeout = TimeSpan.FromSeconds(2));
        using var client = new RawEngineClient(server.BaseAddress);
        var clock = Stopwatch.StartNew();
        var (sid, _) = await client.HandshakeAsync();

        Assert.Equal("2", await client.PollAsync(sid)); // the ping, never answered
        var (reason, description) = await server.Handler.WaitForCloseAsync(sid, Generous);
        var closedAfter = clock.Elapsed;

        Assert.Equal(EngineCloseReason.PingTimeout, reason);
        Assert.True(closedAfter >= TimeSpan.FromMilliseconds(2280), $"closed after only {closedAfter} ({description})");
        Assert.True(closedAfter < Generous, $"closed only after {closedAfter}");
        await client.AssertUnknownSidAsync(sid);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task Polling_a_held_get_is_released_with_close_when_the_ping_times_out()
    {
        // Timeout 2 s (not 200 ms): the second GET must reach the server before the timeout to be held by it.
        await using var server = await EngineTestServer.StartAsync(o => o.PingTimeout = TimeSpan.FromSeconds(2));
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        Assert.Equal("2", await client.PollAsync(sid));
        var held = await client.GetAsync(RawEngineClient.Polling(sid)); // held until the timeout closes the session

        Assert.Equal(System.Net.HttpStatusCode.OK, held.Status);
        Assert.Equal("1", held.Body);
        Assert.Equal(EngineCloseReason.PingTimeout, (await server.Handler.WaitForCloseAsync(sid, Generous)).Reason);
    }

    [Fact]
    public async Task Only_a_pong_resets_the_heartbeat_message_traffic_does_not()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        // Busy with messages (echoed and polled back) but never a pong.
        var closed = server.Handler.WaitForCloseAsync(sid, Generous);
        var sent = 0;
        while (!closed.IsCompleted)
        {
            var post = await client.PostAsync(RawEngineClient.Polling(sid), $"4busy{sent++}");
            if (post.Status != System.Net.HttpStatusCode.OK)
            {
                break;
            }
            await Task.Delay(20);
        }

        Assert.Equal(EngineCloseReason.PingTimeout, (await closed).Reason);
        Assert.True(sent > 5, $"only {sent} messages were sent before the timeout");
    }

    [Fact]
    public async Task WebSocket_ping_frames_arrive_every_interval_and_pongs_keep_the_session()
    {
        await using var server = await EngineTestServer.StartAsync(o => o.PingTimeout = TimeSpan.FromSeconds(1));
        using var client = new RawEngineClient(server.BaseAddress);
        var clock = Stopwatch.StartNew();
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        const int pings = 6;
        for (var i = 0; i < pings; i++)
        {
            Assert.Equal("2", await ws.ReceiveTextAsync(Generous));
            await ws.SendTextAsync("3");
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(pings * 300 - 30), $"{pings} pings after only {clock.Elapsed}");
        Assert.DoesNotContain(server.Handler.Closed, c => c.Sid == sid);
        await ws.SendTextAsync("4still here");
        var next = await ws.ReceiveTextAsync(Generous);
        if (next == "2")
        {
            await ws.SendTextAsync("3");
            next = await ws.ReceiveTextAsync(Generous);
        }
        Assert.Equal("4still here", next);
    }

    [Fact]
    public async Task WebSocket_without_a_pong_the_server_closes_the_socket_with_ping_timeout()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var clock = Stopwatch.StartNew(); // before the handshake: the server's heartbeat starts during it
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());

        var (frames, close) = await ws.ReceiveUntilCloseAsync(Generous);

        Assert.Equal(["2"], frames.Select(f => f.Text));
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(480), $"closed after only {clock.Elapsed}");
        Assert.Equal(EngineCloseReason.PingTimeout, (await server.Handler.WaitForCloseAsync(sid, Generous)).Reason);
        await server.WaitForNoSessionsAsync();
    }
}
