using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// Redis killed and started again in the middle of a broadcast load, with the streams adapter: every broadcast the
/// stream took reaches the other node (its reader resumes from its last id), counted one by one.
/// </summary>
public sealed partial class RedisStreamsOutageTests
{
    [GeneratedRegex("""^42\["n",(\d+)(,"(\d+-\d+)")?\]$""")]
    private static partial Regex Numbered();

    [Fact]
    public async Task A_Redis_restart_during_broadcasts_loses_none_that_the_stream_took()
    {
        await using var redis = await RedisServerProcess.StartAsync(persistent: true);
        await using var a = await RedisStreamsClusterTests.StartNodeAsync(redis);
        await using var b = await RedisStreamsClusterTests.StartNodeAsync(redis);
        await RedisStreamsClusterTests.WaitForNodesAsync(2, a, b);
        await using var onA = await SocketIORawClient.OpenAsync(a);
        await onA.ConnectNamespaceAsync();
        await using var onB = await SocketIORawClient.OpenAsync(b);
        await onB.ConnectNamespaceAsync();
        // What each client gets: number → whether it came with a stream offset (the stream took it).
        var atA = new ConcurrentDictionary<int, bool>();
        var atB = new ConcurrentDictionary<int, bool>();
        // Read until the clients are disposed (a receive that times out would abort the WebSocket).
        _ = CollectAsync(onA, atA);
        _ = CollectAsync(onB, atB);

        var sent = 0;
        async Task BroadcastForAsync(TimeSpan duration)
        {
            var end = DateTime.UtcNow + duration;
            while (DateTime.UtcNow < end)
            {
                a.Io.Emit("n", sent++);
                await Task.Delay(2);
            }
        }
        await BroadcastForAsync(TimeSpan.FromSeconds(1));
        await redis.StopAsync(); // SIGKILL, mid-load
        await BroadcastForAsync(TimeSpan.FromMilliseconds(500));
        await redis.StartAgainAsync();
        // Until the stream takes them again (the connections come back within a second or two), then a little more.
        var restartedAt = sent;
        var until = DateTime.UtcNow + SocketIOTestServer.Timeout;
        while (!atA.Any(e => e.Value && e.Key >= restartedAt) && DateTime.UtcNow < until)
        {
            await BroadcastForAsync(TimeSpan.FromMilliseconds(100));
        }
        await BroadcastForAsync(TimeSpan.FromMilliseconds(500));

        // Everything A's own client got through the stream, B's client gets too; nothing that bypassed the stream.
        var deadline = DateTime.UtcNow + SocketIOTestServer.Timeout;
        while (!(atA.Count >= sent && atA.Where(e => e.Value).All(e => atB.ContainsKey(e.Key))) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var missing = atA.Where(e => e.Value && !atB.ContainsKey(e.Key)).Select(e => e.Key).Order().ToList();
        Assert.True(atA.Count >= sent && missing.Count == 0, $"sent {sent}, A's client got {atA.Count} ({atA.Count(e => e.Value)} through the stream), "
            + $"B's client {atB.Count}; missing at B: {string.Join(",", missing.Take(20))}; not at A: {string.Join(",", Enumerable.Range(0, sent).Where(n => !atA.ContainsKey(n)).Take(20))}");
        var stored = atA.Where(e => e.Value).Select(e => e.Key).Order().ToList();
        var unstored = atA.Where(e => !e.Value).Select(e => e.Key).Order().ToList();
        Assert.NotEmpty(unstored); // some were sent while Redis was down: local only, as Node does
        Assert.Contains(stored, n => n > unstored.Max()); // and the stream took broadcasts again after the restart
        Assert.Equal(stored, atB.Keys.Order().ToList());
        Assert.All(atB.Values, Assert.True);
    }

    private static async Task CollectAsync(SocketIORawClient client, ConcurrentDictionary<int, bool> into)
    {
        try
        {
            while (true)
            {
                var frame = await client.ReceiveSkippingPingsAsync(TimeSpan.FromMinutes(2));
                if (Numbered().Match(frame.Text) is { Success: true } match)
                {
                    // A number that came both ways (sent as Redis died, taken by the stream all the same) counts as stored.
                    into.AddOrUpdate(int.Parse(match.Groups[1].Value), match.Groups[3].Success, (_, seen) => seen || match.Groups[3].Success);
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException
            or TimeoutException or InvalidOperationException)
        {
            // the client was disposed: the test is over
        }
    }
}
