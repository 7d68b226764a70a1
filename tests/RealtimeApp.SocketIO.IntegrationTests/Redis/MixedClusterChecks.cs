using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>What every mixed cluster (a C# node and a Node node with the adapter of the same kind) must do alike.</summary>
internal static partial class MixedClusterChecks
{
    [GeneratedRegex(""","\d+-\d+"\]$""")]
    private static partial Regex TrailingOffset();

    /// <summary>
    /// Broadcasts both ways: Node → C# to a room the C# client (<paramref name="client"/>, in room r1) is in, with
    /// binary; C# → Node to everyone with binary, to a room the Node peer's client joins (r2) and to r1, which only
    /// the C# client gets (its own node's broadcasts, delivered to it too). <paramref name="withOffsets"/>: the
    /// adapter keeps broadcasts (streams, with recovery), so every event carries its entry id as last argument,
    /// which is dropped before comparing.
    /// </summary>
    public static async Task BroadcastsBothWaysAsync(SocketIOTestServer csharp, NodePeerProcess node, SocketIORawClient client,
        bool withOffsets = false)
    {
        string Plain(string text) => withOffsets ? TrailingOffset().Replace(text, "]") : text;

        // Node → C#: to a room, with binary.
        await node.SendAsync(new { op = "emit", rooms = new[] { "r1" }, @event = "from-node",
            args = JsonSerializer.Deserialize<JsonElement>("""[1,{"$bin":[1,2]}]""") });
        Assert.Equal("""451-["from-node",1,{"_placeholder":true,"num":0}]""", Plain(await client.ReceiveTextAsync()));
        Assert.Equal([1, 2], (await client.ReceiveAsync()).Data);

        // C# → Node: to everyone with binary, then to a room the Node client joined.
        await node.SendAsync(new { op = "received" }); // clear what the Node client got so far
        await node.SendAsync(new { op = "clientJoin", room = "r2" });
        csharp.Io.Emit("from-csharp", "x", new byte[] { 9, 8 });
        csharp.Io.To("r2").Emit("room-cs", 5);
        csharp.Io.To("r1").Emit("not-for-node", 0);
        var received = new List<string>();
        await SocketIOTestServer.WaitUntilAsync(() =>
        {
            received.AddRange(node.SendAsync(new { op = "received" }).Result.GetProperty("received").EnumerateArray()
                .Select(e => e.GetRawText()).Select(e => Plain(e[..^1]) + "}"));
            return received.Count >= 2;
        }, "the Node client to receive the C# broadcasts");
        Assert.Equal(["""{"event":"from-csharp","args":["x",{"$bin":[9,8]}]}""", """{"event":"room-cs","args":[5]}"""], received);
        // The C# client got the first and third of those.
        Assert.Equal("""451-["from-csharp","x",{"_placeholder":true,"num":0}]""", Plain(await client.ReceiveTextAsync()));
        Assert.Equal([9, 8], (await client.ReceiveAsync()).Data);
        Assert.Equal("""42["not-for-node",0]""", Plain(await client.ReceiveTextAsync()));
    }

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
