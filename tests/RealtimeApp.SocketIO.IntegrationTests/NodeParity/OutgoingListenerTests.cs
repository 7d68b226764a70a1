using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// Outgoing listeners with connection state recovery on: as in Node (whose session-aware adapter appends the offset
/// to the packet's data before it notifies), the listener sees the offset as the last argument, the one the client gets.
/// </summary>
public sealed class OutgoingListenerTests
{
    [Fact]
    public async Task With_recovery_on_outgoing_listeners_see_the_offset_as_the_last_argument()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.ConnectionStateRecovery = new());
        await using var client = await SocketIORawClient.OpenAsync(server);
        // A namespace of its own: the test server's usual ones greet with an "auth" event.
        var ns = server.Io.Of("/outgoing");
        await client.SendTextAsync("40/outgoing,");
        Assert.StartsWith("40/outgoing,{", await client.ReceiveTextAsync());
        await SocketIOTestServer.WaitUntilAsync(() => ns.Sockets.Count == 1, "the socket to join");
        var socket = ns.Sockets.Single();
        var seen = new List<string>();
        socket.OnAnyOutgoing((name, args) => { lock (seen) { seen.Add($"{name}:{string.Join(',', args.Select(a => a.GetRawText()))}"); } });

        socket.Emit("direct", 1);
        ns.Emit("news", 2);
        var frames = new[] { await client.ReceiveTextAsync(), await client.ReceiveTextAsync() };

        // Each frame is 42["name",n,"<offset>"]: the listener saw the same arguments, offset included.
        var prefix = "42/outgoing,[";
        Assert.All(frames, f => Assert.StartsWith(prefix, f));
        Assert.Equal(frames.Select(f => f[prefix.Length..^1].Replace("\"direct\",", "direct:").Replace("\"news\",", "news:")), seen);
        Assert.All(seen, s => Assert.Matches(""":\d,"[^"]+"$""", s));
    }
}
