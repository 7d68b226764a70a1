using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// The official socket.io-client 2.5 (npm, Engine.IO v3 / Socket.IO protocol 4) against the server with
/// <c>AllowEIO3</c>: over polling (binary framing, and base64 with <c>forceBase64</c>), WebSocket and the
/// upgrade; alone and next to a socket.io-client 4.8 in the same namespace.
/// </summary>
public sealed class NodeSocketIOV2ClientTests
{
    private static Task<SocketIOTestServer> StartAsync() =>
        SocketIOTestServer.StartAsync(configureEngine: engine => engine.AllowEIO3 = true);

    [Theory]
    [InlineData("polling", "")]
    [InlineData("polling", "b64")]
    [InlineData("websocket", "")]
    [InlineData("polling,websocket", "")]
    public async Task A_v2_client_connects_emits_acks_sends_binary_and_keeps_its_heartbeat(string transports, string flag)
    {
        await using var server = await StartAsync();

        var run = await NodeClient.RunAsync("socketio-v2-client.mjs", server.BaseAddress.ToString(), transports, "basic", flag);

        run.AssertSucceeded();
        var connect = run.Named("connect").Single();
        var id = connect.GetProperty("id").GetString()!;
        // v2 clients derive socket ids from the engine id: "/" → the engine id, others → "/nsp#engine id".
        Assert.Equal(connect.GetProperty("engineId").GetString(), id);
        Assert.Equal(transports.Split(',')[0], connect.GetProperty("transport").GetString());
        Assert.Equal("{}", run.Named("auth").Single().GetProperty("received").GetRawText());

        foreach (var echo in run.Named("message-back").Concat(run.Named("ack")))
        {
            Assert.Equal(echo.GetProperty("sent").GetRawText(), echo.GetProperty("received").GetRawText());
        }
        Assert.Equal(4, run.Named("message-back").Count());
        Assert.Equal(4, run.Named("ack").Count());

        // The server's EmitWithAckAsync got the v2 client's ack, binary included.
        Assert.Equal("""[{"answer":"q!","bytes":{"$bin":[7,7]}}]""", run.Named("answer").Single().GetProperty("args").GetRawText());
        var transport = run.Named("transport").Single();
        Assert.Equal(transport.GetProperty("client").GetString(), transport.GetProperty("server").GetString());
        Assert.Equal(transports == "polling" ? "polling" : "websocket", transport.GetProperty("server").GetString());
        Assert.True(run.Named("pongs").Single().GetProperty("count").GetInt32() >= 2);

        // Auth travels as the namespace's query string; a refusal's data is the v2 "error" event's payload.
        var privateSocket = run.Named("private").Single();
        Assert.Equal($"/private#{privateSocket.GetProperty("engineId").GetString()}", privateSocket.GetProperty("id").GetString());
        Assert.Equal("secret", privateSocket.GetProperty("auth").GetProperty("token").GetString());
        Assert.Equal("""{"code":401}""", run.Named("refused").Single().GetProperty("data").GetRawText());

        var socket = server.Socket(id);
        Assert.Equal(DisconnectReason.ClientNamespaceDisconnect, await server.WaitForDisconnectAsync(id));
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.ConnectionCount == 0, "every v2 connection to close");
        Assert.False(socket.Connected);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task A_v2_and_a_v4_client_reach_each_other_through_rooms_and_broadcasts(string transports)
    {
        await using var server = await StartAsync();

        var run = await NodeClient.RunAsync("socketio-v2-client.mjs", server.BaseAddress.ToString(), transports, "mixed");

        run.AssertSucceeded();
        string[] Received(string client) => [.. run.Named("received")
            .Where(e => e.GetProperty("client").GetString() == client)
            .Select(e => $"{e.GetProperty("name").GetString()} {e.GetProperty("args").GetRawText()}")];
        Assert.Equal(["""room-message [{"from":"v4","bytes":{"$bin":[3]}}]""", "marker [1]"], Received("v2"));
        Assert.Equal(["""broadcast-message [{"from":"v2","bytes":{"$bin":[1,2]}}]""", "marker [1]"], Received("v4"));
        Assert.All(run.Named("reached"), e => Assert.Equal(1, e.GetProperty("count").GetInt32()));
    }
}
