using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

// Sending: the outbox is drained by whoever queues a packet (no writer task), a burst in one write.
internal sealed partial class WebSocketTransport
{
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
                var (frame, type) = packet.IsBinary && session.Protocol == 3 ? V3BinaryFrame(packet)
                    : (packet.Frame, packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
                await socket.SendAsync(frame, type,
                    packet.DisableCompression ? WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression : WebSocketMessageFlags.EndOfMessage,
                    CancellationToken.None);
                gathered += frame.Length;
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

    /// <summary>A binary message to a v3 client: type byte + bytes, or <c>b4</c> + base64 text if it asked for base64.</summary>
    private (ReadOnlyMemory<byte>, WebSocketMessageType) V3BinaryFrame(EnginePacket packet) => session.SupportsBinary
        ? (packet.V3BinaryFrame, WebSocketMessageType.Binary)
        : (packet.V3TextSegment(), WebSocketMessageType.Text);
}
