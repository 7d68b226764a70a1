using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// The listener API and packet middlewares side by side with Node's socket.io 4.8.4: the official
/// socket.io-client runs parity-listeners-client.mjs against namespace "/parity" of both servers (the same
/// handlers, see <see cref="ParityHandlers"/> and tests/js/parity-reference-server.mjs), and what it saw must
/// be the same: order of catch-all listeners, middlewares and listeners, a middleware's rewritten argument,
/// a rejected event (error listener, no ack, still connected), removal during a dispatch, outgoing listeners
/// with broadcasts, the ack timeout's message.
/// </summary>
public sealed class NodeParityListenerTests
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task The_client_sees_the_same_from_our_server_as_from_Nodes(string transports)
    {
        await using var ours = await SocketIOTestServer.StartAsync();
        ParityHandlers.Configure(ours.Io);
        await using var node = await ReferenceSocketIOServer.StartAsync(msgPack: false, script: "parity-reference-server.mjs");

        var expected = await NodeClient.RunAsync("parity-listeners-client.mjs", node.BaseAddress.ToString(), transports);
        var actual = await NodeClient.RunAsync("parity-listeners-client.mjs", ours.BaseAddress.ToString(), transports);

        expected.AssertSucceeded();
        actual.AssertSucceeded();
        AssertSameLines(expected, actual);
        // The reference is what the test says it is (a run against a broken script would compare two failures).
        Assert.Equal("rewritten", expected.Named("rewrite").Single().GetProperty("value").GetString());
        Assert.Equal("operation has timed out", expected.Named("ask-timeout").Single().GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Closing_the_server_disconnects_every_client_as_Nodes_io_close_does(string transports)
    {
        await using var ours = await SocketIOTestServer.StartAsync();
        ParityHandlers.Configure(ours.Io);
        await using var node = await ReferenceSocketIOServer.StartAsync(msgPack: false, script: "parity-reference-server.mjs");

        var expected = await NodeClient.RunAsync("parity-close-client.mjs", node.BaseAddress.ToString(), transports);
        var actual = await NodeClient.RunAsync("parity-close-client.mjs", ours.BaseAddress.ToString(), transports);

        expected.AssertSucceeded();
        actual.AssertSucceeded();
        // The two connections close in either order.
        Assert.Equal(expected.Events.Select(e => e.GetRawText()).Order(), actual.Events.Select(e => e.GetRawText()).Order());
        Assert.Equal(2, expected.Named("disconnect").Count());
    }

    /// <summary>Line by line, so a difference shows both whole lines (they are long).</summary>
    internal static void AssertSameLines(NodeRun node, NodeRun ours)
    {
        var expected = node.Events.Select(e => e.GetRawText()).ToArray();
        var actual = ours.Events.Select(e => e.GetRawText()).ToArray();
        for (var i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            Assert.True(expected[i] == actual[i], $"line {i}:\nnode: {expected[i]}\nours: {actual[i]}");
        }
        Assert.Equal(expected.Length, actual.Length);
    }
}
