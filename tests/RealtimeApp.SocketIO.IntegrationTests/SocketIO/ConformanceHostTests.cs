using System.Diagnostics;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// The conformance host — the socket.io-protocol suite's reference server built on our library — run as
/// its own process: the official client's behaviour over every transport, and the invalid-packet rules on
/// the raw wire.
/// </summary>
public class ConformanceHostTests
{
    /// <summary>The JIT host here; <see cref="NativeAotConformanceHostTests"/> runs every test against the NativeAOT one.</summary>
    private protected virtual Task<ConformanceHostProcess> StartHostAsync(params string[] configuration) =>
        ConformanceHostProcess.StartAsync(configuration);

    [Theory]
    [InlineData("polling", "/")]
    [InlineData("websocket", "/custom")]
    [InlineData("polling,websocket", "/")]
    [InlineData("polling,websocket", "/custom")]
    public async Task The_official_client_gets_auth_echoes_and_acks_back_unchanged(string transports, string nsp)
    {
        await using var host = await StartHostAsync();

        var run = await NodeClient.RunAsync("socketio-conformance-client.mjs", host.BaseAddress.ToString(), transports, nsp);

        AssertConformanceRun(run);
    }

    /// <summary>What socketio-conformance-client.mjs must have seen (shared with the msgpack parser's conformance tests).</summary>
    internal static void AssertConformanceRun(NodeRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.Named("done"));
        Assert.Equal("""{"token":"123","nested":{"ok":true}}""", Assert.Single(run.Named("auth")).GetProperty("received").GetRawText());
        foreach (var kind in new[] { "message-back", "ack" })
        {
            var echo = Assert.Single(run.Named(kind));
            Assert.Equal(echo.GetProperty("sent").GetRawText(), echo.GetProperty("received").GetRawText());
        }
        // The binary argument really went as an attachment and came back as bytes.
        Assert.Contains("\"$bin\":[1,2,3,255]", Assert.Single(run.Named("message-back")).GetProperty("received").GetRawText());
    }

    [Fact]
    public async Task Connect_replies_carry_only_the_sid_and_an_unknown_namespace_is_refused()
    {
        await using var host = await StartHostAsync();
        await using var client = await SocketIORawClient.OpenAsync(host.WebSocketUrl);

        await client.SendTextAsync("40");
        var main = await client.ReceiveTextAsync();
        Assert.Matches("""^40\{"sid":"[A-Za-z0-9_-]{20}"\}$""", main);
        Assert.StartsWith("42[\"auth\",{}]", await client.ReceiveTextAsync());

        await client.SendTextAsync("40/custom,{\"token\":\"t\"}");
        Assert.Matches("""^40/custom,\{"sid":"[A-Za-z0-9_-]{20}"\}$""", await client.ReceiveTextAsync());
        Assert.Equal("""42/custom,["auth",{"token":"t"}]""", await client.ReceiveTextAsync());

        await client.SendTextAsync("40/random");
        Assert.Equal("""44/random,{"message":"Invalid namespace"}""", await client.ReceiveTextAsync());
    }

    public static TheoryData<string, byte[]?> InvalidPackets => new()
    {
        { "4abc", null },                                             // unknown Socket.IO packet type
        { "42{}", null },                                              // an event that is not an array
        { "42abc[\"x\"]", null },                                      // not an ack id, and not JSON
        { "42[\"connect\"]", null },                                   // a reserved event name
        { "451-[\"x\",{\"_placeholder\":true,\"num\":3}]", [1, 2] },  // placeholder out of range
        { "40", null },                                                // CONNECT to "/" twice
        { "41/custom,", null },                                        // a namespace never joined
    };

    [Theory]
    [MemberData(nameof(InvalidPackets))]
    public async Task Each_invalid_packet_closes_that_connection_and_only_that_one(string packet, byte[]? attachment)
    {
        await using var host = await StartHostAsync();
        await using var bystander = await SocketIORawClient.OpenAsync(host.WebSocketUrl);
        await bystander.ConnectNamespaceAsync(); // reads the CONNECT reply and the "auth" event
        await using var client = await SocketIORawClient.OpenAsync(host.WebSocketUrl);
        await client.ConnectNamespaceAsync();
        // The bystander reads (answering the host's 300 ms / 200 ms pings) all the while: otherwise a slow
        // box closes it for a ping timeout, not for anything the other client sent.
        var bystanderReply = bystander.ReceiveTextAsync();

        await client.SendTextAsync(packet);
        if (attachment is not null)
        {
            await client.SendBinaryAsync(attachment);
        }

        await client.ReceiveUntilClosedAsync();
        await bystander.SendTextAsync("""42["message","still here"]""");
        Assert.Equal("""42["message-back","still here"]""", await bystanderReply);
    }

    [Fact]
    public async Task A_binary_frame_nobody_announced_closes_the_connection()
    {
        await using var host = await StartHostAsync();
        await using var client = await SocketIORawClient.OpenAsync(host.WebSocketUrl);
        await client.ConnectNamespaceAsync();

        await client.SendBinaryAsync([1, 2, 3]);

        await client.ReceiveUntilClosedAsync();
    }

    [Fact]
    public async Task A_client_that_never_joins_a_namespace_is_closed_after_the_one_second_connect_timeout()
    {
        await using var host = await StartHostAsync("--SocketIO:ConnectTimeout=00:00:01");
        var clock = Stopwatch.StartNew();
        await using var client = await SocketIORawClient.OpenAsync(host.WebSocketUrl);

        await client.ReceiveUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(8));
    }
}
