using System.Diagnostics;
using System.Net;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Upgrade from polling to WebSocket with raw requests (engine.io-protocol v4 "Upgrade"): 2probe/3probe,
/// a noop to release polling, 5 to switch; and every way an upgrade can fail without hurting the session.
/// </summary>
public sealed class RawUpgradeTests
{
    private static string Upgrade(string sid) => $"EIO=4&transport=websocket&sid={sid}";

    [Fact]
    public async Task Probe_noop_upgrade_then_messages_go_over_the_websocket_and_polling_is_a_transport_mismatch()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        var session = server.Session(sid);

        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        // A poll made while the upgrade is under way is released with a noop at the next 100 ms check.
        var noop = await client.GetAsync(RawEngineClient.Polling(sid));
        Assert.Equal(HttpStatusCode.OK, noop.Status);
        Assert.Equal("6", noop.Body);
        Assert.Equal(EngineTransports.Polling, session.Transport);

        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4over ws");
        Assert.Equal("4over ws", await ws.ReceiveTextAsync());
        Assert.Equal(EngineTransports.WebSocket, session.Transport);

        // Polling with the sid now is a transport mismatch: 400 code 3 (and the session is unharmed).
        var get = await client.GetAsync(RawEngineClient.Polling(sid));
        Assert.Equal(HttpStatusCode.BadRequest, get.Status);
        Assert.Equal(RawEngineClient.ErrorBody(3, "Bad request"), get.Body);
        var post = await client.PostAsync(RawEngineClient.Polling(sid), "4x");
        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal(RawEngineClient.ErrorBody(3, "Bad request"), post.Body);

        await ws.SendBinaryAsync([7, 7]);
        Assert.Equal("binary [7,7]", (await ws.ReceiveAsync()).ToString());
        Assert.DoesNotContain(server.Handler.Closed, c => c.Sid == sid);
        Assert.Equal(1, server.Server.SessionCount);
    }

    [Fact]
    public async Task A_poll_pending_when_the_probe_arrives_is_released_with_a_noop()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        var pending = client.PollAsync(sid);
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);

        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        Assert.Equal("6", await pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_second_websocket_after_the_upgrade_is_closed_at_once_and_the_first_keeps_working()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("5");

        await using var second = await client.ConnectWebSocketAsync(Upgrade(sid));
        var (frames, close) = await second.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(frames);
        Assert.True(close.IsClose);

        await ws.SendTextAsync("4first");
        Assert.Equal("4first", await ws.ReceiveTextAsync());
        Assert.Equal(EngineTransports.WebSocket, server.Session(sid).Transport);
        Assert.DoesNotContain(server.Handler.Closed, c => c.Sid == sid);
    }

    [Fact]
    public async Task A_second_websocket_while_probing_is_closed_and_the_first_probe_still_completes()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        await using var second = await client.ConnectWebSocketAsync(Upgrade(sid));
        Assert.True((await second.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5))).Close.IsClose);

        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4first");
        Assert.Equal("4first", await ws.ReceiveTextAsync());
        Assert.Equal(EngineTransports.WebSocket, server.Session(sid).Transport);
    }

    public static TheoryData<string[]> WrongProbeSequences => new()
    {
        new[] { "4nope" },           // a message instead of the probe
        new[] { "2probe", "4nope" }, // a message between probe and upgrade
        new[] { "5" },               // upgrade without probing
        new[] { "2" },               // a ping that is not the probe
    };

    [Theory]
    [MemberData(nameof(WrongProbeSequences))]
    public async Task A_probing_websocket_that_sends_anything_else_is_closed_and_polling_carries_on(string[] frames)
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        await using (var ws = await client.ConnectWebSocketAsync(Upgrade(sid)))
        {
            foreach (var frame in frames)
            {
                await ws.SendTextAsync(frame);
            }
            var (received, close) = await ws.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(frames[0] == "2probe" ? ["3probe"] : Array.Empty<string>(), received.Select(f => f.Text));
            Assert.True(close.IsClose);
        }

        // The polling session is untouched: same transport, echoes, no close, no stray noop.
        Assert.Equal(EngineTransports.Polling, server.Session(sid).Transport);
        await client.PostOkAsync(sid, "4still polling");
        Assert.Equal("4still polling", await client.PollAsync(sid));
        Assert.DoesNotContain(server.Handler.Closed, c => c.Sid == sid);

        // And a proper upgrade still works afterwards.
        await using var retry = await client.ConnectWebSocketAsync(Upgrade(sid));
        await retry.SendTextAsync("2probe");
        Assert.Equal("3probe", await retry.ReceiveTextAsync());
        await retry.SendTextAsync("5");
        await retry.SendTextAsync("4upgraded");
        Assert.Equal("4upgraded", await retry.ReceiveTextAsync());
    }

    [Fact]
    public async Task Upgrade_timeout_closes_only_the_probing_websocket()
    {
        await using var server = await RawTestServers.StartQuietAsync(o => o.UpgradeTimeout = TimeSpan.FromMilliseconds(300));
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var clock = Stopwatch.StartNew();
        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        // ... and never 5.
        var (frames, close) = await ws.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(frames);
        Assert.True(close.IsClose);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(280), $"probe closed after only {clock.Elapsed}");

        Assert.Equal(EngineTransports.Polling, server.Session(sid).Transport);
        var held = client.PollAsync(sid);
        await Task.Delay(200);
        Assert.False(held.IsCompleted, "after a failed upgrade a poll must wait for data again, not get noops");
        await client.PostOkAsync(sid, "4after timeout");
        Assert.Equal("4after timeout", await held.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain(server.Handler.Closed, c => c.Sid == sid);
    }

    [Fact]
    public async Task Closing_the_session_while_probing_closes_the_probe_too()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        await client.PostOkAsync(sid, "1"); // the client closes the session over polling

        Assert.True((await ws.ReceiveUntilCloseAsync(TimeSpan.FromSeconds(5))).Close.IsClose);
        Assert.Equal(EngineCloseReason.TransportClose, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task An_upgrade_request_for_an_unknown_sid_is_refused_with_400()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);

        Assert.Equal(HttpStatusCode.BadRequest, await client.RefusedWebSocketStatusAsync(Upgrade("AAAAAAAAAAAAAAAAAAAA")));
        Assert.Equal(0, server.Server.SessionCount);
    }
}
