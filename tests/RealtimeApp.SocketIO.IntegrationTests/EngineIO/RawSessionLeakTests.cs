using System.Diagnostics;
using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>Runs alone: a thousand sessions would skew the timing of the heartbeat tests running beside it.</summary>
[CollectionDefinition(nameof(RawSessionLeakTests), DisableParallelization = true)]
public sealed class RawSessionLeakCollection;

/// <summary>
/// Many concurrent sessions, polling and WebSocket mixed, each open at the same time and each exchanging
/// a message; when every client has closed, the server holds no session and saw every open and close once.
/// </summary>
[Collection(nameof(RawSessionLeakTests))]
public sealed class RawSessionLeakTests
{
    private const int PerTransport = 500;

    [Fact]
    public async Task A_thousand_concurrent_sessions_all_leave_the_server_when_their_clients_close()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress, maxConnections: 4 * PerTransport);
        using var gate = new SemaphoreSlim(100);
        var opensBefore = server.Handler.Opened.Count;
        Assert.Empty(server.Handler.Closed);

        // Open all of them (at most 100 handshakes in flight), each echoing one message, and keep them open.
        var polling = new List<Task<string>>();
        var sockets = new List<Task<(string Sid, RawWebSocket Socket)>>();
        for (var i = 0; i < PerTransport; i++)
        {
            var n = i;
            polling.Add(Bounded(gate, async () =>
            {
                var (sid, _) = await client.HandshakeAsync();
                await client.PostOkAsync(sid, $"4polling {n}");
                Assert.Equal($"4polling {n}", await client.PollAsync(sid));
                return sid;
            }));
            sockets.Add(Bounded(gate, async () =>
            {
                var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
                var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());
                await ws.SendTextAsync($"4websocket {n}");
                Assert.Equal($"4websocket {n}", await ws.ReceiveTextAsync());
                return (sid, ws);
            }));
        }
        var pollingSids = await Task.WhenAll(polling);
        var webSockets = await Task.WhenAll(sockets);
        var allSids = pollingSids.Concat(webSockets.Select(w => w.Sid)).ToHashSet();

        Assert.Equal(2 * PerTransport, allSids.Count);
        Assert.Equal(2 * PerTransport, server.Server.SessionCount);
        Assert.Equal(2 * PerTransport, server.Handler.Opened.Count - opensBefore);
        Assert.Empty(server.Handler.Closed);

        // Close them all: polling with the close packet, WebSockets with a close frame.
        var closes = pollingSids.Select(sid => Bounded(gate, async () =>
        {
            await client.PostOkAsync(sid, "1");
            return sid;
        })).Concat(webSockets.Select(w => Bounded(gate, async () =>
        {
            using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
            await w.Socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            return w.Sid;
        })));
        await Task.WhenAll(closes);

        await server.WaitForNoSessionsAsync(TimeSpan.FromSeconds(30));
        await RawEngineClient.WaitUntilAsync(() => server.Handler.Closed.Count >= 2 * PerTransport, TimeSpan.FromSeconds(10),
            "the handler to see every close");
        var closed = server.Handler.Closed.ToArray();
        Assert.Equal(2 * PerTransport, closed.Length);
        Assert.Equal(allSids.Order(), closed.Select(c => c.Sid).Order());
        Assert.All(closed, c => Assert.Equal(EngineCloseReason.TransportClose, c.Reason));
        Assert.Empty(server.Handler.Open);

        foreach (var (_, socket) in webSockets)
        {
            socket.Socket.Abort();
            socket.Socket.Dispose();
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    private static async Task<T> Bounded<T>(SemaphoreSlim gate, Func<Task<T>> work)
    {
        await gate.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }
}
