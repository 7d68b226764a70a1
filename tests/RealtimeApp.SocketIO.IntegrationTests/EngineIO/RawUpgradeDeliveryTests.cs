using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Messages queued while a session upgrades are delivered exactly once and in order: by a poll before
/// the switch or over the WebSocket after it, never both, never neither.
/// </summary>
public sealed class RawUpgradeDeliveryTests
{
    private static string Upgrade(string sid) => $"EIO=4&transport=websocket&sid={sid}";

    [Fact]
    public async Task Echoes_queued_before_during_and_after_the_probe_arrive_exactly_once_in_order()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        var received = new List<string>();

        await client.PostOkAsync(sid, "4m0\u001e4m1\u001e4m2");  // queued before the WebSocket exists
        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await client.PostOkAsync(sid, "4m3");                    // queued while the WebSocket waits to probe
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        await client.PostOkAsync(sid, "4m4");                    // queued while probing

        // The client drains polling until it gets the noop, as engine.io-client does before sending 5.
        while (true)
        {
            var packets = (await client.PollAsync(sid)).Split('\u001e');
            received.AddRange(packets.Where(p => p != "6"));
            if (packets.Contains("6"))
            {
                break;
            }
        }

        await client.PostOkAsync(sid, "4m5");                    // queued after the noop, before 5
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4m6");                           // sent over the new transport
        while (!received.Contains("4m6"))
        {
            received.Add(await ws.ReceiveTextAsync());
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"4m{i}"), received);
    }

    [Fact]
    public async Task Server_pushes_racing_the_whole_upgrade_arrive_exactly_once_in_order()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        var session = server.Session(sid);

        // The server pushes messages the whole time the client polls, probes and switches, and a while after.
        using var stop = new CancellationTokenSource();
        var sent = 0; // written by the producer only; the test reads it to see the producer at work
        var producer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.True(session.Send(EnginePacket.Message($"s{sent}")));
                Volatile.Write(ref sent, sent + 1);
                if (sent % 5 == 0)
                {
                    await Task.Delay(1);
                }
            }
            return sent;
        });

        var received = new List<string>();
        Assert.Empty(await PollMessagesAsync(client, sid, received, stopAtNoop: false));
        await using var ws = await client.ConnectWebSocketAsync(Upgrade(sid));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        while (!(await PollMessagesAsync(client, sid, received, stopAtNoop: true)).Contains("6"))
        {
        }
        var beforeSwitch = received.Count;
        await ws.SendTextAsync("5");
        // The producer goes on after the server switched (not: a 100 ms sleep that hopes it got to run).
        await RawEngineClient.WaitUntilAsync(() => session.CurrentTransport.Kind == EngineTransports.WebSocket,
            TimeSpan.FromSeconds(10), "the server to switch to the WebSocket");
        var atSwitch = Volatile.Read(ref sent);
        await RawEngineClient.WaitUntilAsync(() => Volatile.Read(ref sent) >= atSwitch + 10, TimeSpan.FromSeconds(10),
            "the producer to send after the switch");
        stop.Cancel();
        var count = await producer.WaitAsync(TimeSpan.FromSeconds(10));

        while (received.Count < count)
        {
            var frame = await ws.ReceiveTextAsync(TimeSpan.FromSeconds(5));
            Assert.StartsWith("4", frame);
            received.Add(frame[1..]);
        }

        Assert.True(beforeSwitch > 0 && count > beforeSwitch, $"{beforeSwitch} of {count} went by polling: no race");
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"s{i}"), received);
        // Nothing more is pending: a last round trip comes back alone.
        await ws.SendTextAsync("4end");
        Assert.Equal("4end", await ws.ReceiveTextAsync());
    }

    /// <summary>One poll: message payloads go to <paramref name="received"/>; returns the control packets seen.</summary>
    private static async Task<List<string>> PollMessagesAsync(RawEngineClient client, string sid, List<string> received, bool stopAtNoop)
    {
        var control = new List<string>();
        foreach (var packet in (await client.PollAsync(sid)).Split('\u001e'))
        {
            if (packet.StartsWith('4'))
            {
                received.Add(packet[1..]);
            }
            else
            {
                control.Add(packet);
            }
        }
        Assert.True(stopAtNoop || !control.Contains("6"), "a noop before any probe");
        return control;
    }
}
