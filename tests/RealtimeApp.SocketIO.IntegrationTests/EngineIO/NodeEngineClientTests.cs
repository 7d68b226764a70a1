using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// The official engine.io-client (npm, driven by Node) against our endpoint: polling only, WebSocket
/// only, and polling upgraded to WebSocket while messages are in flight.
/// </summary>
public sealed class NodeEngineClientTests
{
    [Theory]
    [InlineData("polling", "polling")]
    [InlineData("websocket", "websocket")]
    [InlineData("polling,websocket", "websocket")]
    public async Task Official_client_opens_echoes_text_and_binary_in_order_gets_pinged_and_closes(
        string transports, string finalTransport)
    {
        // Pings every 300 ms as in the official suite, but a client deadline (interval + timeout) that a
        // busy 2-core CI box can meet; the tight 200 ms timeout is tested with raw clients.
        await using var server = await EngineTestServer.StartAsync(o => o.PingTimeout = TimeSpan.FromSeconds(2));
        const int count = 60;

        var run = await NodeClient.RunAsync("engine-echo-client.mjs", server.BaseAddress.ToString(), transports, count.ToString());

        Assert.True(run.ExitCode == 0, run.ToString());
        var open = Assert.Single(run.Named("open"));
        var sid = open.GetProperty("sid").GetString()!;
        Assert.Equal(transports.Split(',')[0], open.GetProperty("transport").GetString());

        // Every message came back exactly once and in order, across the upgrade when there was one.
        var echoes = run.Named("message").Select(e => e.GetProperty("data").GetString()).ToArray();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"message {i} \u20ac"), echoes);
        var binary = Assert.Single(run.Named("binary"));
        Assert.Equal([1, 2, 3, 4, 255], binary.GetProperty("data").EnumerateArray().Select(b => b.GetInt32()));

        if (transports.Contains(','))
        {
            Assert.Equal("websocket", Assert.Single(run.Named("upgrade")).GetProperty("transport").GetString());
        }
        else
        {
            Assert.Empty(run.Named("upgrade"));
        }
        Assert.Equal(finalTransport, run.Named("message").Last().GetProperty("transport").GetString());

        // The client closed: it says "forced close" (its own close), the server "transport close".
        Assert.Equal("forced close", Assert.Single(run.Named("close")).GetProperty("reason").GetString());
        var (reason, _) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportClose, reason);
        Assert.Equal(0, server.Server.SessionCount);
    }
}
