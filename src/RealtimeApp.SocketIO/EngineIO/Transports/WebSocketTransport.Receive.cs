using System.Buffers;
using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

// Receiving: zero-byte reads between messages, one Engine.IO packet per frame, sends held in a batch
// while messages that already arrived are handled.
internal sealed partial class WebSocketTransport
{
    private readonly record struct EndReason(EngineCloseReason Reason, string Description);

    // While the receive loop works through messages that have already arrived, sends are held in a batch
    // (see SendBatch): answers and broadcasts leave together when the loop next waits for the network, or
    // every MessagesPerBatch messages for a client that never lets it wait.
    private const int MessagesPerBatch = 64;
    private readonly SendBatch _batch = new();
    private int _batchedMessages;
    private bool _batchEnded;

    // Starts a receive; when it has to wait (or every MessagesPerBatch messages), what the batch holds goes
    // out first, and the loop reopens the batch once the receive has completed (ReopenBatch). Awaited in the
    // loop itself, not in a helper: an idle connection then keeps one async state machine waiting, not two.
    private ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer)
    {
        var pending = socket.ReceiveAsync(buffer, CancellationToken.None);
        if (pending.IsCompleted && ++_batchedMessages < MessagesPerBatch)
        {
            return pending;
        }
        _batch.End();
        _batchedMessages = 0;
        _batchEnded = true;
        return pending;
    }

    private void ReopenBatch()
    {
        if (_batchEnded)
        {
            _batchEnded = false;
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
                    ReopenBatch();
                    buffer = ArrayPool<byte>.Shared.Rent(1024);
                    if (result.MessageType != WebSocketMessageType.Close && !result.EndOfMessage)
                    {
                        result = await ReceiveAsync(buffer.AsMemory());
                        ReopenBatch();
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
                    ReopenBatch();
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
                var error = Decode(frame, result.MessageType == WebSocketMessageType.Binary, out var packet);
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

    /// <summary>
    /// One frame, one packet. v4: a binary frame is a message's bytes. v3: a binary frame starts with the
    /// packet type, and a text frame may be <c>b4</c> + base64 (a client that asked for base64).
    /// </summary>
    private EngineDecodeError Decode(Memory<byte> frame, bool binary, out DecodedPacket packet)
    {
        if (session.Protocol == 3)
        {
            return binary ? PayloadCodecV3.DecodeBinaryFrame(frame, out packet) : PayloadCodecV3.DecodeTextEntry(frame, out packet);
        }
        if (binary)
        {
            packet = EnginePacketCodec.DecodeBinaryFrame(frame);
            return EngineDecodeError.None;
        }
        return EnginePacketCodec.DecodeText(frame, out packet);
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
            // This socket is not the outbox's reader yet, so nothing else writes to it.
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
