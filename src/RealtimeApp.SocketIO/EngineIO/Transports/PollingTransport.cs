using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

/// <summary>
/// HTTP long-polling for one session (engine.io-protocol v4 "HTTP long-polling"): a GET waits for
/// queued packets and returns them as one payload; a POST delivers the client's packets. At most one
/// of each may be pending; a second one closes the session ("transport error"), as Node does.
/// </summary>
internal sealed class PollingTransport(EngineSession session) : ITransport
{
    private static readonly TimeSpan AbortedPollGrace = TimeSpan.FromMilliseconds(100);

    private bool _polling;
    private bool _posting;

    public EngineTransports Kind => EngineTransports.Polling;

    /// <summary>Whether a GET is waiting for data right now.</summary>
    public bool HasPendingPoll => Volatile.Read(ref _polling);

    /// <summary>Whether a POST is being handled right now.</summary>
    public bool HasPendingPost => Volatile.Read(ref _posting);

    private long _lastRequestEnded = session.Server.Time.GetTimestamp();

    private Lock? _dispatchGate; // POSTs hand their packets on one at a time, in order; made by the first POST

    /// <summary>How long the client has had neither a GET nor a POST under way (zero while it has one). Under the session's gate.</summary>
    public TimeSpan TimeWithoutRequest => _polling || _posting ? TimeSpan.Zero : session.Server.Time.GetElapsedTime(_lastRequestEnded);

    /// <summary>Wakes the pending GET so it looks again and answers (with packets, a noop or a close).</summary>
    public void Release() => session.Outbox.Wake();

    public void OnSessionClosed(bool flush)
    {
        Release();
    }

    /// <summary>
    /// A GET ends in one of five ways: (1) packets are queued — send them all; (2) the session closed
    /// at once — a close packet, or a noop if the client asked for the close; (3) a server close has
    /// drained — a close packet on its own, never in the same payload as the packets before it (the
    /// client acts on a close before it handles Socket.IO packets decoded with it, so a DISCONNECT
    /// sharing the payload would be lost); as Node, "1" to a poll that was waiting, "6␞1" to a later one;
    /// (4) an upgrade is under way and a 100 ms check found this poll waiting — a noop lets the client pause
    /// polling; (5) the client went away —
    /// "transport error".
    /// </summary>
    public async Task HandleGetAsync(HttpContext context)
    {
        bool overlapping;
        lock (session.Gate)
        {
            overlapping = _polling;
            _polling = true;
        }
        if (overlapping)
        {
            // Node answers the overlapping request 400 and the first one with a close packet.
            session.Close(EngineCloseReason.TransportError, "overlapping GET requests");
            await EngineError.WriteAsync(context, EngineErrorCode.BadRequest);
            return;
        }

        var outbox = session.Outbox;
        CancellationTokenRegistration abortWakes = default; // made on the first wait: a handshake poll never waits
        var waited = false;
        var checksBeforeWait = 0; // the upgrade checks seen when this poll began to wait
        try
        {
            while (true)
            {
                if (session.IsClosed)
                {
                    await WriteAsync(context, [session.ClosedByClient ? EnginePacket.Noop : EnginePacket.Close]);
                    return;
                }
                var batch = Drain(outbox);
                if (batch.Count > 0)
                {
                    await WriteAsync(context, batch);
                    return;
                }
                if (outbox.IsCompleted)
                {
                    session.Complete();
                    await WriteAsync(context, waited ? [EnginePacket.Close] : [EnginePacket.Noop, EnginePacket.Close]);
                    return;
                }
                if (session.CurrentTransport != this
                    || (waited && session.IsUpgrading && session.UpgradeChecks != checksBeforeWait))
                {
                    await WriteAsync(context, [EnginePacket.Noop]);
                    return;
                }
                if (context.RequestAborted.IsCancellationRequested)
                {
                    // A closing client sends its close packet (a POST) and drops this poll: the two come on
                    // different connections, in no set order. Give the close packet a moment to land first
                    // ("transport close", as Node's one event loop sees it); Close is a no-op once closed.
                    await Task.Delay(AbortedPollGrace, session.Server.Time);
                    session.Close(EngineCloseReason.TransportError, "poll aborted by the client");
                    return;
                }
                if (!waited)
                {
                    waited = true;
                    checksBeforeWait = session.UpgradeChecks;
                    abortWakes = context.RequestAborted.UnsafeRegister(static o => ((EngineOutbox)o!).Wake(), outbox);
                    continue; // the request may have been aborted just before the registration
                }
                await outbox.WaitAsync();
            }
        }
        finally
        {
            abortWakes.Dispose();
            lock (session.Gate)
            {
                _polling = false;
                _lastRequestEnded = session.Server.Time.GetTimestamp();
            }
        }
    }

    private static List<EnginePacket> Drain(EngineOutbox outbox)
    {
        var count = outbox.TakeAll(out var taken);
        var batch = new List<EnginePacket>(count);
        for (var i = 0; i < count; i++)
        {
            batch.Add(taken[i]);
        }
        EngineOutbox.Return(taken);
        return batch;
    }

    private const string TextContentType = "text/plain; charset=UTF-8";

    private async Task WriteAsync(HttpContext context, List<EnginePacket> packets)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
        if (session.Protocol == 3)
        {
            await WriteV3Async(context, packets);
            return;
        }

        response.ContentType = TextContentType;
        var length = packets.Count - 1;
        foreach (var packet in packets)
        {
            length += packet.PollingSegment.Length;
        }
        if (!ShouldCompress(length))
        {
            // The common case: straight into the response pipe, no intermediate buffer.
            response.ContentLength = length;
            PayloadCodec.Encode(packets, response.BodyWriter);
            await response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }
        var body = new ArrayBufferWriter<byte>(length);
        PayloadCodec.Encode(packets, body);
        await WriteBodyAsync(context, body.WrittenMemory);
    }

    /// <summary>Engine.IO v3: binary framing when the client takes binary and a packet is binary, else length-prefixed text.</summary>
    private Task WriteV3Async(HttpContext context, List<EnginePacket> packets)
    {
        var body = new ArrayBufferWriter<byte>();
        if (PayloadCodecV3.UsesBinaryFraming(packets, session.SupportsBinary))
        {
            context.Response.ContentType = "application/octet-stream";
            PayloadCodecV3.EncodeBinary(packets, body);
        }
        else
        {
            context.Response.ContentType = TextContentType;
            PayloadCodecV3.EncodeText(packets, body);
        }
        return WriteBodyAsync(context, body.WrittenMemory);
    }

    private bool ShouldCompress(int length) =>
        session.Options.HttpCompression && length >= session.Options.HttpCompressionThreshold;

    /// <summary>Writes an encoded payload, compressed when it is big enough and the client accepts gzip or deflate.</summary>
    private async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        var encoding = ShouldCompress(body.Length) ? ChooseEncoding(context.Request.Headers.AcceptEncoding) : null;
        if (encoding is null)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        response.Headers.ContentEncoding = encoding;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        await using var stream = encoding == "gzip"
            ? (Stream)new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true)
            : new DeflateStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        await stream.WriteAsync(body, context.RequestAborted);
    }

    private static string? ChooseEncoding(string? acceptEncoding) =>
        acceptEncoding is null ? null
        : acceptEncoding.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? "gzip"
        : acceptEncoding.Contains("deflate", StringComparison.OrdinalIgnoreCase) ? "deflate"
        : null;

    /// <summary>
    /// A POST carries a payload. Refused (and the session closed): a second concurrent POST (400),
    /// a binary body, which only EIO3 allows (400), a body over MaxHttpBufferSize (413), bytes that are
    /// not packets (400, "parse error"). Otherwise the packets are handled in order and the answer is "ok".
    /// </summary>
    public async Task HandlePostAsync(HttpContext context)
    {
        lock (session.Gate)
        {
            if (_posting)
            {
                session.Close(EngineCloseReason.TransportError, "overlapping POST requests");
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            _posting = true;
        }

        byte[]? body = null;
        var postingOwned = true; // until the packets are handed on (a next POST may then set _posting again)
        try
        {
            var binaryBody = context.Request.ContentType?.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) == true;
            if (binaryBody && session.Protocol != 3)
            {
                session.Close(EngineCloseReason.TransportError, "binary POST body on Engine.IO v4");
                await EngineError.WriteAsync(context, EngineErrorCode.BadRequest);
                return;
            }

            var limit = session.Options.MaxHttpBufferSize;
            var (buffer, length) = await ReadBodyAsync(context.Request.BodyReader, limit, context.RequestAborted);
            body = buffer;
            if (length > limit)
            {
                session.Close(EngineCloseReason.TransportError, $"payload too large (over {limit} bytes)");
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            // A payload is taken whole or not at all: one bad entry refuses the POST (400) and closes the
            // session before any of its packets reach the application. (Node delivers the entries before
            // the bad one; half-handling a refused request is exactly what we avoid.)
            var packets = new List<DecodedPacket>();
            var payload = buffer.AsMemory(0, (int)length);
            var error = session.Protocol == 4 ? PayloadCodec.Decode(payload, packets)
                : binaryBody ? PayloadCodecV3.DecodeBinary(payload, packets)
                : PayloadCodecV3.DecodeText(payload, packets);
            if (error != EngineDecodeError.None)
            {
                session.Close(EngineCloseReason.ParseError, $"invalid payload: {error}");
                await EngineError.WriteAsync(context, EngineErrorCode.BadRequest);
                return;
            }
            // The body is read: from here on the next POST is no overlap. Node handles a POST's packets and
            // ends it in one tick, so nothing the packets cause (a CONNECT reply in the waiting GET, an ack)
            // reaches the client while the POST still counts; a client that answers it at once (the .NET
            // SocketIOClient emits as soon as it sees the CONNECT reply) must not be refused here either. The
            // dispatch gate, taken first, keeps the packets of successive POSTs in the order they came.
            // Not made at the handshake: a session that never POSTs (or only upgrades) keeps no lock for it.
            lock (LazyInitializer.EnsureInitialized(ref _dispatchGate, static () => new Lock()))
            {
                lock (session.Gate)
                {
                    _posting = false;
                    postingOwned = false;
                }
                foreach (var packet in packets)
                {
                    session.OnPacket(packet);
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = 2;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.Body.WriteAsync("ok"u8.ToArray(), context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            session.Close(EngineCloseReason.TransportError, "POST aborted by the client");
        }
        finally
        {
            lock (session.Gate)
            {
                if (postingOwned)
                {
                    _posting = false;
                }
                _lastRequestEnded = session.Server.Time.GetTimestamp();
            }
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
    }

    /// <summary>Reads the body into a pooled buffer, stopping as soon as it is known to exceed <paramref name="limit"/>.</summary>
    private static async Task<(byte[] Buffer, long Length)> ReadBodyAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        long length = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (length + data.Length > limit)
            {
                reader.AdvanceTo(data.End);
                return (buffer, limit + 1);
            }
            if (length + data.Length > buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Max(buffer.Length * 2L, length + data.Length));
                buffer.AsSpan(0, (int)length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }
            data.CopyTo(buffer.AsSpan((int)length));
            length += data.Length;
            reader.AdvanceTo(data.End);
            if (result.IsCompleted)
            {
                return (buffer, length);
            }
        }
    }
}
