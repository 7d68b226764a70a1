using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// Node's <c>cleanupEmptyChildNamespaces</c> option and <c>io.close()</c> (<see cref="SocketIOServer.CloseAsync"/>).
/// </summary>
public sealed class ServerCloseTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dynamic_child_namespace_is_removed_when_its_last_socket_leaves_only_with_the_option(bool cleanup)
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.CleanupEmptyChildNamespaces = cleanup);
        var before = server.Io.GetStatistics().Namespaces;
        await using var first = await SocketIORawClient.OpenAsync(server);
        await using var second = await SocketIORawClient.OpenAsync(server);
        await first.ConnectNamespaceAsync("/dyn-7");
        await second.ConnectNamespaceAsync("/dyn-7");
        Assert.Equal(before + 1, server.Io.GetStatistics().Namespaces);

        await first.SendTextAsync("41/dyn-7,");
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.GetStatistics().Sockets == 1, "the first socket to leave");
        Assert.Equal(before + 1, server.Io.GetStatistics().Namespaces); // one socket left: kept

        await second.SendTextAsync("41/dyn-7,");
        // The socket leaves the namespace's list first and the empty namespace is forgotten right after, on the
        // same thread: the statistics can read between the two, so wait for the namespace count itself.
        await SocketIOTestServer.WaitUntilAsync(() => server.Io.GetStatistics() is { Sockets: 0 } s
            && s.Namespaces == (cleanup ? before : before + 1), "the last socket to leave");
        if (!cleanup)
        {
            await Task.Delay(100); // nothing removes it later either
        }
        Assert.Equal(cleanup ? before : before + 1, server.Io.GetStatistics().Namespaces);

        // The name still matches: a new CONNECT creates (or finds) it again, configured.
        var (reply, _) = await first.ConnectNamespaceAsync("/dyn-7");
        Assert.StartsWith("40/dyn-7,", reply);
        Assert.Equal(before + 1, server.Io.GetStatistics().Namespaces);
    }

    [Fact]
    public async Task CloseAsync_disconnects_every_socket_closes_every_session_and_refuses_new_ones()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        await client.ConnectNamespaceAsync("/custom");
        var reasons = new List<DisconnectReason>();
        server.Socket(sid).Disconnected += (_, reason) => { lock (reasons) { reasons.Add(reason); } };

        await server.Io.CloseAsync().WaitAsync(SocketIOTestServer.Timeout);

        // As Node: no DISCONNECT packet, the connection closes (the client sees "transport close").
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.DoesNotContain(frames, f => f.Text.StartsWith("41", StringComparison.Ordinal));
        Assert.Equal([DisconnectReason.ServerShuttingDown], reasons);
        var statistics = server.Io.GetStatistics();
        Assert.Equal((0, 0, 0), (statistics.EngineSessions, statistics.Connections, statistics.Sockets));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var handshake = await http.GetAsync("/socket.io/?EIO=4&transport=polling");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, handshake.StatusCode);
    }
}
