using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>One WebSocket message as received, or the end of the connection.</summary>
internal sealed record SocketIOFrame(WebSocketMessageType Type, byte[] Data, string? CloseInfo = null)
{
    public string Text => Encoding.UTF8.GetString(Data);

    /// <summary>The server's close frame, or the connection dropped without one.</summary>
    public bool IsClosed => Type == WebSocketMessageType.Close;

    public override string ToString() => Type switch
    {
        WebSocketMessageType.Text => $"text {Text}",
        WebSocketMessageType.Binary => $"binary [{string.Join(',', Data)}]",
        _ => $"closed ({CloseInfo})",
    };
}

/// <summary>
/// A raw WebSocket to <c>/socket.io/?EIO=4&amp;transport=websocket</c>: no protocol logic beyond string
/// building, so tests see exactly the frames on the wire. Frame texts include the Engine.IO prefix
/// (<c>4</c> for a message, <c>2</c> for a ping).
/// </summary>
internal sealed class SocketIORawClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;

    private SocketIORawClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>The Engine.IO session id from the open packet.</summary>
    public string EngineSid { get; private set; } = "";

    /// <summary>Connects and reads the Engine.IO open packet.</summary>
    public static Task<SocketIORawClient> OpenAsync(SocketIOTestServer server) => OpenAsync(server.WebSocketUrl);

    /// <summary>Connects to <paramref name="webSocketUrl"/> (…/socket.io/?EIO=4&amp;transport=websocket) and reads the open packet.</summary>
    public static async Task<SocketIORawClient> OpenAsync(Uri webSocketUrl)
    {
        var socket = new ClientWebSocket();
        using (var cts = new CancellationTokenSource(Timeout))
        {
            await socket.ConnectAsync(webSocketUrl, cts.Token);
        }
        var client = new SocketIORawClient(socket);
        var open = await client.ReceiveAsync();
        Assert.True(open.Type == WebSocketMessageType.Text && open.Text.StartsWith("0{", StringComparison.Ordinal),
            $"expected the open packet, got {open}");
        client.EngineSid = JsonDocument.Parse(open.Text[1..]).RootElement.GetProperty("sid").GetString()!;
        return client;
    }

    // One send at a time: a receive under way answers pings ("3") while the test may send too.
    private readonly SemaphoreSlim _sending = new(1, 1);

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] data) => SendAsync(data, WebSocketMessageType.Binary);

    private async Task SendAsync(byte[] data, WebSocketMessageType type)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(data, type, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>The next whole frame, pings included; a closed connection is a frame with <c>IsClosed</c>.</summary>
    public async Task<SocketIOFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[64 * 1024];
        using var data = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the close frame at once, as a browser does, so the server's request can end.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                    return new SocketIOFrame(WebSocketMessageType.Close, [], $"close frame {result.CloseStatus}");
                }
                data.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new SocketIOFrame(result.MessageType, data.ToArray());
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no WebSocket frame within {(timeout ?? Timeout).TotalSeconds} s");
        }
        catch (WebSocketException ex)
        {
            return new SocketIOFrame(WebSocketMessageType.Close, [], $"connection lost: {ex.WebSocketErrorCode}");
        }
    }

    /// <summary>The next frame that is not a ping; pings are answered with a pong on the way.</summary>
    public async Task<SocketIOFrame> ReceiveSkippingPingsAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (true)
        {
            var frame = await ReceiveAsync(Left(deadline));
            if (frame.Type == WebSocketMessageType.Text && frame.Text == "2")
            {
                await SendTextAsync("3");
                continue;
            }
            return frame;
        }
    }

    /// <summary>The next non-ping frame, asserted to be text.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var frame = await ReceiveSkippingPingsAsync(timeout);
        Assert.True(frame.Type == WebSocketMessageType.Text, $"expected a text frame, got {frame}");
        return frame.Text;
    }

    /// <summary>
    /// Joins <paramref name="ns"/> (<c>40</c> or <c>40/ns,</c>); returns the CONNECT reply's text and the
    /// new socket id, after reading the "auth" event the test server emits on connection.
    /// </summary>
    public async Task<(string Reply, string SocketId)> ConnectNamespaceAsync(string ns = "/")
    {
        var prefix = ns == "/" ? "40" : $"40{ns},";
        await SendTextAsync(prefix);
        var reply = await ReceiveTextAsync();
        Assert.StartsWith(prefix + "{", reply);
        var sid = JsonDocument.Parse(reply[prefix.Length..]).RootElement.GetProperty("sid").GetString()!;
        var auth = await ReceiveTextAsync();
        // With connection state recovery on, a stored event carries its offset last.
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape($"42{(ns == "/" ? "" : ns + ",")}[\"auth\",{{}}")}(,\"[^\"]+\")?]$", auth);
        return (reply, sid);
    }

    /// <summary>
    /// Reads (answering pings, so a heartbeat timeout cannot be what closes it) until the server closes
    /// the connection; returns the frames that came before. Throws <see cref="TimeoutException"/> if the
    /// connection is still open after <paramref name="timeout"/>.
    /// </summary>
    public async Task<List<SocketIOFrame>> ReceiveUntilClosedAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        var before = new List<SocketIOFrame>();
        while (true)
        {
            var frame = await ReceiveSkippingPingsAsync(Left(deadline));
            if (frame.IsClosed)
            {
                return before;
            }
            before.Add(frame);
        }
    }

    private static TimeSpan Left(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
        _socket.Dispose();
    }
}
