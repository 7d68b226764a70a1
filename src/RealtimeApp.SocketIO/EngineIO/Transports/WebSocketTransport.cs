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
internal sealed class WebSocketTransport(WebSocket socket, EngineSession session, bool probing) : IEngineTransport
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _writerStop = new();
    private bool _probing = probing;
    private Task _writer = Task.CompletedTask;
    private int _closing;

    public EngineTransportKind Kind => EngineTransportKind.WebSocket;

    /// <summary>Runs until the WebSocket closes; the HTTP request lives exactly as long.</summary>
    public async Task RunAsync(CancellationToken requestAborted)
    {
        if (!_probing)
        {
            StartWriter();
        }

        using var upgradeTimeout = _probing
            ? new CancellationTokenSource(session.Options.UpgradeTimeout, session.Server.Time)
            : null;
        using var probeExpired = upgradeTimeout?.Token.Register(static s => ((WebSocketTransport)s!).OnUpgradeTimeout(), this);

        var reason = await ReceiveLoopAsync(requestAborted);

        if (_probing)
        {
            session.AbandonUpgrade(this);
        }
        else if (session.CurrentTransport == this)
        {
            session.Close(reason.Reason, reason.Description);
        }
        await StopAsync(WebSocketCloseStatus.NormalClosure);
        _writerStop.Dispose();
    }

    public void OnSessionClosed(bool flush, bool clientInitiated)
    {
        if (!flush)
        {
            _ = StopAsync(WebSocketCloseStatus.NormalClosure);
        }
        // On a flushing close the writer loop drains the completed outbox, then sends the close frame.
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

    private void StartWriter() => _writer = Task.Run(WriteLoopAsync);

    private async Task WriteLoopAsync()
    {
        var outbox = session.Outbox;
        var token = _writerStop.Token;
        try
        {
            while (await outbox.WaitToReadAsync(token))
            {
                while (outbox.TryRead(out var packet))
                {
                    var type = packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                    await socket.SendAsync(packet.Frame, type, WebSocketMessageFlags.EndOfMessage, token);
                }
            }
            // The outbox completed: the session was closed by the server and everything queued is sent.
            session.Complete();
            await CloseOutputAsync(WebSocketCloseStatus.NormalClosure);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            session.Close(EngineCloseReason.TransportError, $"write failed: {ex.Message}");
        }
    }

    /// <summary>Stops the writer (if running) and sends a close frame once; safe to call from anywhere.</summary>
    private async Task StopAsync(WebSocketCloseStatus status)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }
        await _writerStop.CancelAsync();
        await _writer;
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
        }
    }

    private readonly record struct EndReason(EngineCloseReason Reason, string Description);

    private async Task<EndReason> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var limit = session.Options.MaxHttpBufferSize;
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
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
                if (session.IsClosed)
                {
                    return new(EngineCloseReason.TransportClose, "session closed");
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return new(EngineCloseReason.TransportError, $"connection lost: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
