using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>What every mixed cluster (a C# node and a Node node with the adapter of the same kind) must do alike.</summary>
internal static class MixedClusterChecks
{
    /// <summary>
    /// Broadcasts with acks both ways (each side collects the other side's client's answer; <paramref name="client"/> is
    /// the C# node's raw client, the Node peer's client answers on its own), then server-side events both ways, with and
    /// without answers.
    /// </summary>
    public static async Task AcksAndServerSideEventsBothWaysAsync(SocketIOTestServer csharp, NodePeerProcess node, SocketIORawClient client)
    {
        await node.SendAsync(new { op = "received" }); // clear what the Node client got so far
        var asking = csharp.Io.Sockets.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("poll", "p1");
        await RedisClusterTests.AnswerAsync(client, "\"from-csharp\"");
        var answers = await asking;
        Assert.Equal(["\"from-csharp\"", """{"from":"node","got":["p1"]}"""], answers.Select(r => r[0].GetRawText()).Order());
        var nodeAsking = node.SendAsync(new { op = "emitWithAck", @event = "poll", args = new[] { "p1" } });
        await RedisClusterTests.AnswerAsync(client, "\"csharp-answer\"");
        var nodeAnswers = (await nodeAsking).GetProperty("responses").EnumerateArray().Select(r => r.GetRawText()).Order();
        Assert.Equal(["\"csharp-answer\"", """{"from":"node","got":["p1"]}"""], nodeAnswers);

        var fromNode = new System.Collections.Concurrent.ConcurrentQueue<string>();
        csharp.Io.Sockets.OnServerSideEmit("hello", e =>
        {
            fromNode.Enqueue(e.Arguments.GetRawText());
            e.Ack(new { from = "csharp", got = e.Arguments });
        });
        await node.SendAsync(new { op = "serverSideEmit", @event = "hello", args = new object[] { 1, "two" } });
        var nodeResponses = await node.SendAsync(new { op = "serverSideEmitWithAck", @event = "hello", args = new[] { "q" } });
        Assert.Equal("""[{"from":"csharp","got":["q"]}]""", nodeResponses.GetProperty("responses").GetRawText());
        Assert.Equal(["""[1,"two"]""", """["q"]"""], fromNode);
        csharp.Io.Sockets.ServerSideEmit("hello", "no answer wanted");
        var csharpResponses = await csharp.Io.Sockets.ServerSideEmitWithAckAsync("hello", ["with", 2], TimeSpan.FromSeconds(5));
        Assert.Equal("""{"from":"node","got":["with",2]}""", Assert.Single(csharpResponses).GetRawText());
        Assert.Equal("""[["no answer wanted"],["with",2]]""", (await node.SendAsync(new { op = "serverEvents" })).GetProperty("serverEvents").GetRawText());
    }
}
