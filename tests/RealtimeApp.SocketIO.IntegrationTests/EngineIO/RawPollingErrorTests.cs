using System.Net;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// POST bodies a polling session must refuse — bytes that are not packets, a client ping, a binary body,
/// a body over MaxHttpBufferSize — each costing that one session and nothing else.
/// </summary>
public sealed class RawPollingErrorTests
{
    [Theory]
    [InlineData("abc")]               // unknown packet type
    [InlineData("b!!!")]              // invalid base64
    [InlineData("bAQI")]              // valid base64 alphabet, but incomplete
    [InlineData("")]                  // an empty payload is not a packet
    [InlineData("4a\u001e")]          // trailing separator: an empty packet
    [InlineData("4ok\u001e9bad")]     // a bad packet after a good one
    public async Task A_payload_that_does_not_decode_is_refused_with_400_and_closes_the_session_with_parse_error(string payload)
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();
        var pending = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)

        var post = await client.PostAsync(RawEngineClient.Polling(sid), payload);

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal(EngineCloseReason.ParseError, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        var released = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("1", released.Body); // the pending poll learns the session is gone
        await client.AssertUnknownSidAsync(sid);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task A_client_ping_in_a_post_closes_the_session_invalid_heartbeat_direction()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        await client.PostAsync(RawEngineClient.Polling(sid), "2");

        var (reason, description) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportError, reason);
        Assert.Equal("invalid heartbeat direction", description);
        await client.AssertUnknownSidAsync(sid);
    }

    [Fact]
    public async Task A_binary_octet_stream_body_is_refused_on_EIO4_and_closes_the_session()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "4hello", "application/octet-stream");

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal(EngineCloseReason.TransportError, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await client.AssertUnknownSidAsync(sid);
    }

    [Theory]
    [InlineData(1_001)]
    [InlineData(200_000)]
    [InlineData(5_000_000)]
    public async Task A_body_over_MaxHttpBufferSize_gets_413_and_closes_only_that_session(int size)
    {
        await using var server = await RawTestServers.StartQuietAsync(o => o.MaxHttpBufferSize = 1000);
        using var client = new RawEngineClient(server.BaseAddress);
        var (bystander, _) = await client.HandshakeAsync();
        var (sid, open) = await client.HandshakeAsync();
        Assert.Equal(RawEngineClient.OpenPacket(sid, polling: true, 20_000, 20_000, maxPayload: 1000), open.Body);

        // Exactly at the limit (counted in bytes: the euro sign is 3) is accepted and echoed.
        var atLimit = "4" + new string('a', 996) + "\u20ac";
        await client.PostOkAsync(sid, atLimit);
        Assert.Equal(atLimit, await client.PollAsync(sid));

        var post = await client.PostAsync(RawEngineClient.Polling(sid), "4" + new string('x', size - 1));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, post.Status);
        Assert.Equal(EngineCloseReason.TransportError, (await server.Handler.WaitForCloseAsync(sid)).Reason);
        await client.AssertUnknownSidAsync(sid);

        // The process keeps serving: the other session echoes, a new one opens.
        await client.PostOkAsync(bystander, "4still fine");
        Assert.Equal("4still fine", await client.PollAsync(bystander));
        var (fresh, _) = await client.HandshakeAsync();
        await client.PostOkAsync(fresh, "4new");
        Assert.Equal("4new", await client.PollAsync(fresh));
        Assert.Equal(2, server.Server.SessionCount);
    }

    [Fact]
    public async Task A_post_with_a_method_other_than_get_or_post_on_a_session_is_refused_and_the_session_survives()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var put = await client.SendAsync(HttpMethod.Put, RawEngineClient.Polling(sid), "4x");

        Assert.True(put.Status is HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError, $"PUT got {put}");
        await client.PostOkAsync(sid, "4after");
        Assert.Equal("4after", await client.PollAsync(sid));
    }
}
