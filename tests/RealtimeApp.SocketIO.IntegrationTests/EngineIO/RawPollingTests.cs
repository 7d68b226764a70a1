using System.Net;
using System.Text;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// HTTP long-polling with raw requests (engine.io-protocol v4 "HTTP long-polling"): POST answers
/// <c>ok</c>, GET returns queued packets joined by 0x1E, a held GET is released by data, one GET at a time,
/// and the client's close packet ends the session.
/// </summary>
public sealed class RawPollingTests
{
    public static TheoryData<string> EchoPayloads => new()
    {
        "4hello",
        "4a\u001e4b\u001e4c",           // batching: one POST, three packets; one GET, three echoes
        "bAQIDBA==",                      // binary message 01 02 03 04, base64 in polling payloads
        "4a\u001ebAQIDBA==\u001e4c",    // text and binary mixed, order kept
        "4",                              // an empty message is allowed
        "4h\u00e9llo \u20ac \U0001F600", // UTF-8 text
    };

    [Theory]
    [MemberData(nameof(EchoPayloads))]
    public async Task Posted_packets_are_answered_ok_and_echoed_on_the_next_get(string payload)
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var post = await client.PostAsync(RawEngineClient.Polling(sid), payload);
        Assert.Equal(HttpStatusCode.OK, post.Status);
        Assert.Equal("ok", post.Body);
        Assert.Equal("text/html", post.ContentType);
        Assert.Equal("no-store", post.CacheControl);

        var get = await client.GetAsync(RawEngineClient.Polling(sid));
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal("text/plain; charset=UTF-8", get.ContentType);
        Assert.Equal("no-store", get.CacheControl);
        Assert.Equal(RawEngineClient.Show(payload), RawEngineClient.Show(get.Body));
        Assert.True(server.Server.TryGetSession(sid, out _));
    }

    [Fact]
    public async Task A_held_get_returns_as_soon_as_data_arrives()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var held = client.PollAsync(sid);
        await Task.Delay(300);
        Assert.False(held.IsCompleted, "a GET with nothing queued must be held open");

        await client.PostOkAsync(sid, "4late");
        Assert.Equal("4late", await held.WaitAsync(TimeSpan.FromSeconds(5)));

        // Data from the server side (the handler's Send) releases a held GET the same way.
        var held2 = client.PollAsync(sid);
        await Task.Delay(100);
        Assert.False(held2.IsCompleted);
        Assert.True(server.Session(sid).Send(EnginePacket.Message("push")));
        Assert.Equal("4push", await held2.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Packets_queued_between_polls_come_back_in_one_payload_in_order()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        for (var i = 0; i < 5; i++)
        {
            await client.PostOkAsync(sid, $"4m{i}");
        }
        server.Session(sid).Send(EnginePacket.Binary(new byte[] { 0xFF, 0x00 }));

        Assert.Equal(RawEngineClient.Show("4m0\u001e4m1\u001e4m2\u001e4m3\u001e4m4\u001eb/wA="),
            RawEngineClient.Show(await client.PollAsync(sid)));
    }

    [Fact]
    public async Task A_second_concurrent_get_is_refused_and_closes_the_session_releasing_the_first_with_close()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var first = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)
        Assert.False(first.IsCompleted, "the first GET must be held");

        var second = await client.GetAsync(RawEngineClient.Polling(sid));
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);

        var released = await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("1", released.Body);

        var (reason, _) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportError, reason);
        await client.AssertUnknownSidAsync(sid);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(RawEngineClient.Polling(sid), "4x")).Status);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task A_second_concurrent_post_is_refused_and_closes_the_session()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        // The first POST sends half its body and then stalls, so it is still in flight on the server.
        var stalled = new StalledContent("4part");
        var first = client.Http.PostAsync(client.Url(RawEngineClient.Polling(sid)), stalled);
        await stalled.Started.WaitAsync(TimeSpan.FromSeconds(5));
        await server.WaitForPostInFlightAsync(sid); // the server is reading the first POST (not: a sleep that hopes so)

        var second = await client.PostAsync(RawEngineClient.Polling(sid), "4second");
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);

        var (reason, _) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportError, reason);
        // The stalled POST may now finish; its packets belong to a closed session and are not delivered.
        stalled.Finish();
        try
        {
            using var response = await first.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (HttpRequestException)
        {
            // Node destroys the in-flight POST of a closed session; either outcome is fine here.
        }
        await client.AssertUnknownSidAsync(sid);
    }

    [Fact]
    public async Task Client_close_packet_releases_the_pending_get_with_noop_and_ends_the_session()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        var pending = client.GetAsync(RawEngineClient.Polling(sid));
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)
        Assert.False(pending.IsCompleted);

        await client.PostOkAsync(sid, "1");
        var released = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("6", released.Body);

        var (reason, _) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportClose, reason);
        await client.AssertUnknownSidAsync(sid);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task Client_close_packet_without_a_pending_get_ends_the_session()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        await client.PostOkAsync(sid, "1");

        var (reason, _) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportClose, reason);
        await client.AssertUnknownSidAsync(sid);
        await server.WaitForNoSessionsAsync();
    }

    [Fact]
    public async Task A_pending_get_dropped_by_the_client_is_a_transport_error()
    {
        await using var server = await RawTestServers.StartQuietAsync();
        using var client = new RawEngineClient(server.BaseAddress);
        var (sid, _) = await client.HandshakeAsync();

        using var cancel = new CancellationTokenSource();
        var pending = client.GetAsync(RawEngineClient.Polling(sid), cancel.Token);
        await server.WaitForHeldPollAsync(sid); // the server holds the GET (not: a sleep that hopes it got there)
        Assert.False(pending.IsCompleted);
        cancel.Cancel(); // HTTP/1.1: the connection is torn down

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var (reason, _) = await server.Handler.WaitForCloseAsync(sid);
        Assert.Equal(EngineCloseReason.TransportError, reason);
        await client.AssertUnknownSidAsync(sid);
    }

    /// <summary>A request body that sends its first bytes, then waits until <see cref="Finish"/>.</summary>
    private sealed class StalledContent(string head) : HttpContent
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Finish() => _finish.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
            await stream.FlushAsync();
            _started.TrySetResult();
            await _finish.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked: the server cannot know the body has ended
        }
    }
}
