using System.Buffers;
using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

/// <summary>
/// One WebSocket carrying a session (engine.io-protocol v4 "WebSocket"): one Engine.IO packet per frame,
/// text packets in text frames, binary messages in binary frames. A receive loop decodes frames; a single
/// writer loop drains the session's outbox. A WebSocket that arrives for an existing polling session
/// starts as the upgrade probe and only becomes the transport when the client sends the upgrade packet.
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket, EngineSession session, bool probing,
    BatchingWriteStream? batching = null) : IEngineTransport
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    private const int MaxBatchBytes = 64 * 1024; // one write; a bigger backlog goes out in several

    private bool _probing = probing;
    private volatile bool _writerStopping;
    private int _draining; // 1 while a send of queued packets is under way
    private Action? _drainSignal;
    private Task _writer = Task.CompletedTask;
    private readonly Lock _stopGate = new();
    private Task? _stopping;

    public EngineTransportKind Kind => EngineTransportKind.WebSocket;

    /// <summary>Runs until the WebSocket closes; the HTTP request lives exactly as long.</summary>
    public async Task RunAsync()
    {
        if (!_probing)
        {
            StartWriter();
        }

        using var upgradeTimeout = _probing
            ? new CancellationTokenSource(session.Options.UpgradeTimeout, session.Server.Time)
            : null;
        using var probeExpired = upgradeTimeout?.Token.Register(static s => ((WebSocketTransport)s!).OnUpgradeTimeout(), this);

        // The receive waits without the request's token: a dropped connection fails the read anyway, and
        // a registration per idle session is memory for nothing.
        var reason = await ReceiveLoopAsync();

        if (_probing)
        {
            session.AbandonUpgrade(this);
        }
        else if (session.CurrentTransport == this)
        {
            session.Close(reason.Reason, reason.Description);
        }

        // Whoever started the stop (this method, the session's close, a failed probe), the request must
        // not end before the close frame is out: ending it lets Kestrel drop the TCP connection.
        await StopAsync(WebSocketCloseStatus.NormalClosure);
    }

    public void OnSessionClosed(bool flush, bool clientInitiated)
    {
        if (!flush)
        {
            _ = StopAsync(WebSocketCloseStatus.NormalClosure);
        }
        // On a flushing close the writer sends what is queued, then the close frame.
    }

    /// <summary>Closes a probe that will not become the transport (session closed, or a second probe).</summary>
    public void Abort() => _ = StopAsync(WebSocketCloseStatus.NormalClosure);

    private void OnUpgradeTimeout()
    {
        if (_probing)
        {
            session.AbandonUpgrade(this);
            _ = StopAsync(WebSocketCloseStatus.PolicyViolation);
        }
    }

    /// <summary>
    /// Makes this socket the outbox's reader: from now on whoever queues a packet sends it, on its own
    /// thread, unless a send is already under way (which then takes the new packet too). Kestrel's
    /// writes complete at once unless the client is behind, so a producer rarely waits, and there is no
    /// writer task or thread switch per packet; a write that has to wait continues on its own.
    /// </summary>
    private void StartWriter()
    {
        session.Outbox.SetSignal(_drainSignal ??= Drain);
        Drain(); // what was queued before: the open packet, or what polling had not delivered
    }

    private void Drain()
    {
        if (!_writerStopping && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _writer = DrainAsync();
        }
    }

    private async Task DrainAsync()
    {
        var outbox = session.Outbox;
        try
        {
            while (!_writerStopping)
            {
                var count = outbox.TakeAll(out var batch);
                if (count == 0)
                {
                    if (outbox.IsCompleted)
                    {
                        // The session was closed by the server and everything queued is sent.
                        session.Complete();
                        await CloseOutputAsync(WebSocketCloseStatus.NormalClosure);
                        return;
                    }
                    Volatile.Write(ref _draining, 0);
                    // A packet queued after TakeAll saw this drain running and left it to us: look again.
                    if (outbox.Count == 0 || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                    {
                        return;
                    }
                    continue;
                }
                try
                {
                    await SendAsync(batch, count);
                }
                finally
                {
                    EngineOutbox.Return(batch);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            session.Close(EngineCloseReason.TransportError, $"write failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> packets, one frame each (Engine.IO over WebSocket has no packing); when
    /// several are queued their frames are gathered into one write to the connection.
    /// </summary>
    private async ValueTask SendAsync(EnginePacket[] packets, int count)
    {
        var gather = batching is not null && count > 1;
        var gathered = 0;
        if (gather)
        {
            batching!.BeginBatch();
        }
        try
        {
            for (var i = 0; i < count && !_writerStopping; i++)
            {
                var packet = packets[i];
                var type = packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                await socket.SendAsync(packet.Frame, type, WebSocketMessageFlags.EndOfMessage, CancellationToken.None);
                gathered += packet.Frame.Length;
                if (gather && gathered >= MaxBatchBytes)
                {
                    await batching!.EndBatchAsync();
                    batching.BeginBatch();
                    gathered = 0;
                }
            }
        }
        finally
        {
            if (gather)
            {
                await batching!.EndBatchAsync();
            }
        }
    }

    /// <summary>
    /// Stops the writer (if running) and sends a close frame, once: every caller gets the same task, so
    /// any of them can wait for the frame to be out.
    /// </summary>
    private Task StopAsync(WebSocketCloseStatus status)
    {
        lock (_stopGate)
        {
            return _stopping ??= StopCoreAsync(status);
        }
    }

    private async Task StopCoreAsync(WebSocketCloseStatus status)
    {
        await Task.Yield(); // never run the stop inline in the caller (it may be the receive loop)
        _writerStopping = true;
        if (_drainSignal is not null)
        {
            session.Outbox.ClearSignal(_drainSignal);
        }
        try
        {
            // A writer stuck in a send (a client that stopped reading) would never finish: cut it.
            await _writer.WaitAsync(CloseHandshakeTimeout);
        }
        catch (TimeoutException)
        {
            socket.Abort();
            return;
        }
        await CloseOutputAsync(status);
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            await socket.CloseOutputAsync(status, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
            return;
        }

        // The receive loop ends when the peer answers with its own close frame; one that never does is
        // cut after the timeout (Node's ws waits in the same way).
        _ = Task.Delay(CloseHandshakeTimeout).ContinueWith(static (_, s) =>
        {
            var ws = (WebSocket)s!;
            if (ws.State != WebSocketState.Closed)
            {
                ws.Abort();
            }
        }, socket, TaskScheduler.Default);
    }

    private readonly record struct EndReason(EngineCloseReason Reason, string Description);

    // While the receive loop works through messages that have already arrived, sends are held in a batch
    // (see SendBatch): answers and broadcasts leave together when the loop next waits for the network, or
    // every MessagesPerBatch messages for a client that never lets it wait.
    private const int MessagesPerBatch = 64;
    private readonly SendBatch _batch = new();
    private int _batchedMessages;

    private ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer)
    {
        var pending = socket.ReceiveAsync(buffer, CancellationToken.None);
        if (pending.IsCompleted && ++_batchedMessages < MessagesPerBatch)
        {
            return pending;
        }
        return SendBatchWhileWaitingAsync(pending);
    }

    private async ValueTask<ValueWebSocketReceiveResult> SendBatchWhileWaitingAsync(ValueTask<ValueWebSocketReceiveResult> pending)
    {
        _batch.End();
        _batchedMessages = 0;
        try
        {
            return await pending;
        }
        finally
        {
            _batch.Open();
        }
    }

    private async Task<EndReason> ReceiveLoopAsync()
    {
        _batch.MakeCurrent();
        var limit = session.Options.MaxHttpBufferSize;
        byte[]? buffer = null;
        var count = 0;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                if (count == 0)
                {
                    // Between messages, wait with a zero-byte read: an idle session holds no buffer. It
                    // reads the next frame's header, so an empty message is already complete here.
                    ReturnBuffer(ref buffer);
                    result = await ReceiveAsync(Memory<byte>.Empty);
                    buffer = ArrayPool<byte>.Shared.Rent(1024);
                    if (result.MessageType != WebSocketMessageType.Close && !result.EndOfMessage)
                    {
                        result = await ReceiveAsync(buffer.AsMemory());
                    }
                }
                else
                {
                    if (count == buffer!.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await ReceiveAsync(buffer.AsMemory(count));
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new(EngineCloseReason.TransportClose, "WebSocket closed by the client");
                }
                count += result.Count;
                if (count > limit)
                {
                    await StopAsync(WebSocketCloseStatus.MessageTooBig);
                    return new(EngineCloseReason.TransportError, $"message too large (over {limit} bytes)");
                }
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = buffer.AsMemory(0, count);
                count = 0;
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (!await OnFrameAsync(EnginePacketCodec.DecodeBinaryFrame(frame)))
                    {
                        return new(EngineCloseReason.TransportClose, "probe closed");
                    }
                    continue;
                }
                var error = EnginePacketCodec.DecodeText(frame, out var packet);
                if (error != EngineDecodeError.None)
                {
                    await StopAsync(WebSocketCloseStatus.InvalidPayloadData);
                    return new(EngineCloseReason.ParseError, $"invalid packet: {error}");
                }
                if (!await OnFrameAsync(packet))
                {
                    return new(EngineCloseReason.TransportClose, "probe closed");
                }
                // Once the session has closed, frames are ignored (OnPacket drops them) while the loop
                // waits for the client's close frame that completes the close handshake.
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode is not WebSocketError.ConnectionClosedPrematurely)
        {
            // Bytes that are not WebSocket frames (bad header, bad UTF-8 in a text frame, …).
            return new(EngineCloseReason.TransportError, $"WebSocket error: {ex.Message}");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection went away without a close frame: Node's ws reports this as a close too.
            return new(EngineCloseReason.TransportClose, $"connection lost: {ex.Message}");
        }
        finally
        {
            ReturnBuffer(ref buffer);
            _batch.End();
        }
    }

    private static void ReturnBuffer(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    /// <summary>Handles one decoded frame; false when this WebSocket must stop (a failed probe).</summary>
    private async ValueTask<bool> OnFrameAsync(DecodedPacket packet)
    {
        if (!_probing)
        {
            session.OnPacket(packet);
            return true;
        }

        // The probe dance: 2probe → 3probe, then 5 makes this socket the transport. Anything else on a
        // probing socket closes it (the polling session carries on).
        if (packet.Type == EnginePacketType.Ping && packet.IsProbe)
        {
            // The writer loop is not running yet, so this is the socket's only writer.
            await socket.SendAsync(EnginePacket.PongProbe.Frame, WebSocketMessageType.Text,
                WebSocketMessageFlags.EndOfMessage, CancellationToken.None);
            session.OnProbe(this);
            return true;
        }
        if (packet.Type == EnginePacketType.Upgrade && session.TryCompleteUpgrade(this))
        {
            _probing = false;
            StartWriter();
            return true;
        }
        _ = StopAsync(WebSocketCloseStatus.PolicyViolation);
        return false;
    }
}
