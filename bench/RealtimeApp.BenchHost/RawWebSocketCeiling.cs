using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

/// <summary>
/// The ceiling row of the benchmarks: a raw Kestrel WebSocket endpoint doing the bench handlers' work with
/// no Engine.IO / Socket.IO in between (no open packet, no namespace, no heartbeat). It speaks the same
/// frames as the load generator sends, so both are driven by the same client code:
/// <c>42&lt;id&gt;["echo",…]</c> comes back as <c>43&lt;id&gt;["echo",…]</c> (the same bytes, one changed);
/// <c>42&lt;id&gt;["bcast",p]</c> sends one pre-encoded <c>42["b",p]</c> frame to every socket, then <c>43&lt;id&gt;[]</c>.
/// </summary>
internal static class RawWebSocketCeiling
{
    private static readonly ConcurrentDictionary<WebSocket, SemaphoreSlim> Sockets = new();
    private static readonly byte[] BroadcastMarker = "[\"bcast\","u8.ToArray();

    public static async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var writeGate = new SemaphoreSlim(1, 1); // a broadcast and this socket's own ack may write at once
        Sockets[socket] = writeGate;
        try
        {
            await ReceiveLoopAsync(socket, writeGate);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            Sockets.TryRemove(socket, out _);
        }
    }

    private static async Task ReceiveLoopAsync(WebSocket socket, SemaphoreSlim writeGate)
    {
        while (true)
        {
            // Zero-byte read first: an idle connection holds no buffer.
            await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                var frame = buffer.AsMemory(0, result.Count);
                if (frame.Span.IndexOf(BroadcastMarker) is var at and >= 0)
                {
                    await BroadcastAsync(frame, at);
                    await SendAsync(socket, writeGate, Ack(frame.Span[2..at])); // 42<id>["bcast",… → 43<id>[]
                }
                else
                {
                    buffer[1] = (byte)'3';
                    await SendAsync(socket, writeGate, frame);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static byte[] Ack(ReadOnlySpan<byte> id)
    {
        var ack = new byte[2 + id.Length + 2];
        "43"u8.CopyTo(ack);
        id.CopyTo(ack.AsSpan(2));
        "[]"u8.CopyTo(ack.AsSpan(2 + id.Length));
        return ack;
    }

    /// <summary>Encodes <c>42["b",payload]</c> once and writes it to every socket.</summary>
    private static async Task BroadcastAsync(ReadOnlyMemory<byte> frame, int markerAt)
    {
        var payload = frame[(markerAt + BroadcastMarker.Length)..^1]; // the argument, without the closing ]
        var message = new byte[payload.Length + 8];
        "42[\"b\","u8.CopyTo(message);
        payload.Span.CopyTo(message.AsSpan(7));
        message[^1] = (byte)']';
        foreach (var (socket, gate) in Sockets)
        {
            try
            {
                await SendAsync(socket, gate, message);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private static async ValueTask SendAsync(WebSocket socket, SemaphoreSlim gate, ReadOnlyMemory<byte> message)
    {
        await gate.WaitAsync();
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }
}
