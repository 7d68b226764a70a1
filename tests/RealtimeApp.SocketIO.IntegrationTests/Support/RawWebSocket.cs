using System.Net.WebSockets;
using System.Text;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>One WebSocket frame as received: text, binary, or the peer's close frame.</summary>
internal sealed record RawFrame(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus)
{
    public string Text => Encoding.UTF8.GetString(Data);

    public bool IsClose => Type == WebSocketMessageType.Close;

    public override string ToString() => Type switch
    {
        WebSocketMessageType.Text => $"text {RawEngineClient.Show(Text)}",
        WebSocketMessageType.Binary => $"binary [{string.Join(',', Data)}]",
        _ => $"close {CloseStatus}",
    };
}

/// <summary>A raw <see cref="ClientWebSocket"/> with frame-level helpers and receive timeouts.</summary>
internal sealed class RawWebSocket(ClientWebSocket socket) : IAsyncDisposable
{
    public ClientWebSocket Socket => socket;

    public Task SendTextAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>
    /// The next whole frame. Throws <see cref="TimeoutException"/> when none arrives in time (the socket is
    /// then aborted, as ClientWebSocket does on a cancelled receive).
    /// </summary>
    public async Task<RawFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? RawEngineClient.Timeout);
        var buffer = new byte[64 * 1024];
        using var data = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new RawFrame(WebSocketMessageType.Close, [], result.CloseStatus);
                }
                data.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new RawFrame(result.MessageType, data.ToArray(), null);
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no WebSocket frame within {(timeout ?? RawEngineClient.Timeout).TotalSeconds} s");
        }
    }

    /// <summary>The next frame, asserted to be a text frame; returns its text.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var frame = await ReceiveAsync(timeout);
        Assert.True(frame.Type == WebSocketMessageType.Text, $"expected a text frame, got {frame}");
        return frame.Text;
    }

    /// <summary>Reads frames until the server's close frame; returns the frames before it and the close frame.</summary>
    public async Task<(List<RawFrame> Before, RawFrame Close)> ReceiveUntilCloseAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? RawEngineClient.Timeout);
        var before = new List<RawFrame>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var frame = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (frame.IsClose)
            {
                return (before, frame);
            }
            before.Add(frame);
        }
    }

    /// <summary>Closes from the client side (close handshake), as a browser does.</summary>
    public async Task CloseAsync()
    {
        using var cts = new CancellationTokenSource(RawEngineClient.Timeout);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
        socket.Dispose();
    }
}
