using System.Net;
using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO.Transports;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// A client may answer what a POST's packets caused (here the CONNECT reply, read from the waiting GET) with
/// its next POST before the first POST has been answered "ok": the .NET SocketIOClient emits as soon as it
/// sees the CONNECT reply. Node handles a POST's packets and ends it in one tick, so it never sees that as an
/// overlap; neither may we. Raw HTTP, so the timing is the test's, not the machine's.
/// </summary>
public sealed class PollingPostTests
{
    [Fact]
    public async Task A_post_answering_the_connect_reply_of_a_post_still_under_way_is_taken_in_order()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        using var held = new ManualResetEventSlim();
        // Connection listeners run inside the CONNECT's dispatch, so this one keeps the first POST under way
        // after its CONNECT reply has gone out.
        server.Io.Of("/held-post").OnConnection(socket =>
        {
            held.Wait(SocketIOTestServer.Timeout);
            socket.On("echo", e => e.Ack?.Send(e.Arguments.ToArray()));
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = SocketIOTestServer.Timeout };
        var open = await http.GetStringAsync("socket.io/?EIO=4&transport=polling");
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        var session = $"socket.io/?EIO=4&transport=polling&sid={sid}";

        var connectPost = http.PostAsync(session, new StringContent("40/held-post,"));
        Assert.StartsWith("40/held-post,{", await http.GetStringAsync(session));
        Assert.False(connectPost.IsCompleted, "the CONNECT's POST is still under way");

        var eventPost = http.PostAsync(session, new StringContent("""42/held-post,1["echo","late"]"""));
        Assert.True(server.Io.Engine!.TryGetSession(sid, out var engineSession));
        // Refused at once as an overlap before; now admitted, and waiting for the first POST's packets.
        await SocketIOTestServer.WaitUntilAsync(() => eventPost.IsCompleted
            || engineSession.CurrentTransport is PollingTransport { HasPendingPost: true }, "the second POST to be refused or admitted");
        held.Set();

        using (var answer = await eventPost)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        (await connectPost).EnsureSuccessStatusCode();
        // The ack, in this poll or a later one (a ping may come first: the test server pings every 300 ms).
        var received = new List<string>();
        while (!received.Contains("""43/held-post,1["late"]"""))
        {
            received.AddRange((await http.GetStringAsync(session)).Split('\u001e'));
            Assert.All(received, packet => Assert.True(packet is "2" || packet.StartsWith("43/held-post,"), packet));
        }
    }
}
