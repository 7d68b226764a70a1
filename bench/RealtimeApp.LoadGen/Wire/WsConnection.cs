using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// One client: a raw TCP socket speaking RFC 6455 and, unless it targets the raw ceiling endpoint, Engine.IO v4
/// (answers pings itself) and the Socket.IO main-namespace join. Received frames are parsed in place from one
/// buffer, incrementally, with no allocation per frame; packets go to the connection's <see cref="PacketSink"/>.
/// Sends are synchronous (one <c>send</c> per call, so a burst is one syscall) and serialized by a lock because
/// pongs, acks and broadcast pacing may send from different threads.
/// </summary>
internal sealed class WsConnection : IDisposable
{
    private const int MaxMessageLength = 16 << 20;

    private static readonly byte[] EnginePong = WsFrames.TextFrame("3"u8);
    private static readonly byte[] JoinMainNamespace = WsFrames.TextFrame("40"u8);

    private readonly Socket _socket;
    private readonly Lock _sendLock = new();
    private byte[] _buffer;
    private int _start; // first unparsed byte
    private int _end; // end of received bytes
    private int _needed; // length of the frame in progress once its header is known, else 0
    private byte[]? _fragments; // a fragmented message being reassembled (these servers never fragment)
    private int _fragmentLength;
    private string? _closeReason;
    private PacketSink _sink = IgnoringSink.Instance;
    private volatile bool _disposed;
    private volatile bool _lost;
    private volatile bool _answerPings = true;

    private byte[]? _transcoded; // msgpack packets in their JSON text form, for the sinks

    private WsConnection(Socket socket, bool engineIo, WireParser parser, int bufferSize)
    {
        _socket = socket;
        EngineIo = engineIo;
        Parser = parser;
        _buffer = new byte[bufferSize];
    }

    public bool EngineIo { get; }

    public WireParser Parser { get; }

    /// <summary>
    /// False makes the client a silently dead one: Engine.IO pings are read but not answered, so the server must
    /// time the session out (pingInterval + pingTimeout). The soak scenario uses it.
    /// </summary>
    public bool AnswerPings
    {
        get => _answerPings;
        set => _answerPings = value;
    }

    /// <summary>Neither closed by us nor lost.</summary>
    public bool IsOpen => !_disposed && !_lost;

    /// <summary>
    /// TCP connect, WebSocket upgrade and, for Engine.IO targets, the open packet and the <c>40</c> join
    /// (Socket.IO connected). Returns before any packet after that is read: call <see cref="Start"/>.
    /// </summary>
    /// <param name="extraHeaders">Header lines for the upgrade request, each ending in CRLF (e.g. a bearer token), or null.</param>
    public static async Task<WsConnection> ConnectAsync(ClientTarget target, int bufferSize, CancellationToken cancellationToken,
        string? extraHeaders = null)
    {
        var connection = new WsConnection(ClientSockets.Create(), target.EngineIo, target.Parser, bufferSize);
        try
        {
            await connection._socket.ConnectAsync(target.Server, cancellationToken);
            await connection.UpgradeAsync(target, extraHeaders, cancellationToken);
            if (target.EngineIo)
            {
                await connection.JoinAsync(cancellationToken);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts the receive loop; from now on packets go to <paramref name="sink"/>.</summary>
    public void Start(PacketSink sink)
    {
        _sink = sink;
        _ = ReceiveLoopAsync();
    }

    /// <summary>Sends bytes that already are whole frames; false when the connection is gone.</summary>
    public bool Send(ReadOnlySpan<byte> frames)
    {
        lock (_sendLock)
        {
            try
            {
                while (!frames.IsEmpty)
                {
                    frames = frames[_socket.Send(frames, SocketFlags.None)..];
                }
                return true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>Abortive close (linger 0): the server sees a reset at once and no TIME_WAIT is left behind.</summary>
    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private async Task UpgradeAsync(ClientTarget target, string? extraHeaders, CancellationToken cancellationToken)
    {
        var key = new byte[16];
        Random.Shared.NextBytes(key);
        var request = Encoding.ASCII.GetBytes(
            $"GET {target.WebSocketPath} HTTP/1.1\r\nHost: {target.HostHeader}\r\nUpgrade: websocket\r\n" +
            $"Connection: Upgrade\r\nSec-WebSocket-Key: {Convert.ToBase64String(key)}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n");
        await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
        while (true)
        {
            var headerEnd = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                if (!_buffer.AsSpan(0, _end).StartsWith("HTTP/1.1 101"u8))
                {
                    var statusLine = Encoding.ASCII.GetString(_buffer, 0, _buffer.AsSpan(0, _end).IndexOf("\r\n"u8));
                    throw new IOException($"websocket upgrade refused: {statusLine}");
                }
                // Anything after the response head is already frames.
                _start = headerEnd + 4;
                return;
            }
            await ReceiveMoreAsync(cancellationToken);
        }
    }

    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        // The server speaks first (0{"sid":...}); then we join "/" and wait for its 40{"sid":...}.
        var open = Encoding.UTF8.GetString(await ReceiveSetupMessageAsync(cancellationToken));
        if (!open.StartsWith('0'))
        {
            throw new IOException($"expected the engine.io open packet, got: {open}");
        }
        var msgPack = Parser == WireParser.MsgPack;
        if (!Send(msgPack ? MsgPackWire.JoinMainNamespace : JoinMainNamespace))
        {
            throw new IOException("connection lost before the namespace join");
        }
        var reply = await ReceiveSetupMessageAsync(cancellationToken);
        if (msgPack ? !MsgPackWire.IsConnected(reply) : !reply.AsSpan().StartsWith("40"u8))
        {
            throw new IOException($"namespace join refused: {(msgPack ? Convert.ToHexString(reply) : Encoding.UTF8.GetString(reply))}");
        }
    }

    /// <summary>The next data message during setup (a copy is fine here: once per connection).</summary>
    private async Task<byte[]> ReceiveSetupMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (TryTakeFrame(out var opcode, out _, out var payloadStart, out var payloadLength))
            {
                switch (opcode)
                {
                    case WsFrames.OpText or WsFrames.OpBinary:
                        return _buffer.AsSpan(payloadStart, payloadLength).ToArray();
                    case WsFrames.OpPing:
                        SendPong(_buffer.AsSpan(payloadStart, payloadLength));
                        break;
                    case WsFrames.OpClose:
                        throw new IOException("server closed the websocket during setup");
                }
            }
            await ReceiveMoreAsync(cancellationToken);
        }
    }

    private async Task ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        PrepareRead();
        var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0)
        {
            throw new IOException("server closed the connection during setup");
        }
        _end += received;
    }

    private async Task ReceiveLoopAsync()
    {
        string? lostReason = null;
        try
        {
            // Frames that came in with the setup replies.
            if (Dispatch(Stopwatch.GetTimestamp()))
            {
                while (true)
                {
                    PrepareRead();
                    var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
                    if (received == 0)
                    {
                        lostReason = "server closed the connection";
                        break;
                    }
                    _end += received;
                    if (!Dispatch(Stopwatch.GetTimestamp()))
                    {
                        break;
                    }
                }
            }
            lostReason ??= _closeReason;
        }
        catch (Exception e)
        {
            // Reset, our own Dispose, a protocol violation or a bug in a sink: all end this connection.
            lostReason = $"{e.GetType().Name}: {e.Message}";
        }
        if (!_disposed)
        {
            _lost = true;
            _sink.OnLost(this, lostReason ?? "unknown");
        }
    }

    /// <summary>Handles every whole frame in the buffer; false when the connection is closing.</summary>
    private bool Dispatch(long receivedAt)
    {
        while (TryTakeFrame(out var opcode, out var fin, out var payloadStart, out var payloadLength))
        {
            var payload = _buffer.AsSpan(payloadStart, payloadLength);
            switch (opcode)
            {
                case WsFrames.OpBinary when fin && _fragmentLength == 0 && Parser == WireParser.MsgPack:
                    OnMsgPackPacket(_buffer.AsMemory(payloadStart, payloadLength), receivedAt);
                    break;
                case WsFrames.OpText or WsFrames.OpBinary when fin && _fragmentLength == 0:
                    OnMessage(payload, receivedAt);
                    break;
                case WsFrames.OpText or WsFrames.OpBinary or WsFrames.OpContinuation:
                    AppendFragment(payload);
                    if (fin)
                    {
                        var length = _fragmentLength;
                        _fragmentLength = 0;
                        OnMessage(_fragments.AsSpan(0, length), receivedAt);
                    }
                    break;
                case WsFrames.OpPing:
                    SendPong(payload);
                    break;
                case WsFrames.OpPong:
                    break;
                case WsFrames.OpClose:
                    _closeReason = "server sent a websocket close frame";
                    return false;
                default:
                    throw new InvalidDataException($"unknown websocket opcode {opcode}");
            }
            if (_closeReason is not null)
            {
                return false;
            }
        }
        return true;
    }

    private void OnMsgPackPacket(ReadOnlyMemory<byte> message, long receivedAt)
    {
        // JSON text is at most a few bytes longer than msgpack for these packets (quotes, brackets, commas).
        var needed = 2 * message.Length + 64;
        if (_transcoded is null || _transcoded.Length < needed)
        {
            _transcoded = new byte[Math.Max(needed, 256)];
        }
        var length = MsgPackWire.ToJsonPacket(message, _transcoded);
        if (length > 0)
        {
            _sink.OnPacket(this, _transcoded.AsSpan(0, length), receivedAt);
        }
    }

    private void OnMessage(ReadOnlySpan<byte> message, long receivedAt)
    {
        if (!EngineIo)
        {
            _sink.OnPacket(this, message, receivedAt);
            return;
        }
        if (message.IsEmpty)
        {
            return;
        }
        switch (message[0])
        {
            case (byte)'4':
                _sink.OnPacket(this, message, receivedAt);
                break;
            case (byte)'2' when !AnswerPings:
                break;
            case (byte)'2':
                // Engine.IO heartbeat: answer at once, or the server drops us after pingTimeout.
                if (message.Length == 1)
                {
                    Send(EnginePong);
                }
                else
                {
                    SendEnginePongWithData(message[1..]);
                }
                break;
            case (byte)'1':
                _closeReason = "server sent an engine.io close packet";
                break;
        }
    }

    private void SendEnginePongWithData(ReadOnlySpan<byte> data)
    {
        Span<byte> frame = stackalloc byte[WsFrames.SmallHeaderLength + WsFrames.SmallPayloadMax];
        frame[WsFrames.SmallHeaderLength] = (byte)'3';
        data[..Math.Min(data.Length, WsFrames.SmallPayloadMax - 1)].CopyTo(frame[(WsFrames.SmallHeaderLength + 1)..]);
        var length = WsFrames.CompleteSmallFrame(frame, WsFrames.OpText, 1 + Math.Min(data.Length, WsFrames.SmallPayloadMax - 1));
        Send(frame[..length]);
    }

    private void SendPong(ReadOnlySpan<byte> payload)
    {
        // Control frames carry at most 125 bytes, so the small header always fits.
        Span<byte> frame = stackalloc byte[WsFrames.SmallHeaderLength + WsFrames.SmallPayloadMax];
        var length = WsFrames.WriteSmallFrame(frame, WsFrames.OpPong, payload[..Math.Min(payload.Length, WsFrames.SmallPayloadMax)]);
        Send(frame[..length]);
    }

    private void AppendFragment(ReadOnlySpan<byte> payload)
    {
        var required = _fragmentLength + payload.Length;
        if (required > MaxMessageLength)
        {
            throw new InvalidDataException("fragmented message too long");
        }
        if (_fragments is null || _fragments.Length < required)
        {
            Array.Resize(ref _fragments, Math.Max(required, 2 * (_fragments?.Length ?? 256)));
        }
        payload.CopyTo(_fragments.AsSpan(_fragmentLength));
        _fragmentLength = required;
    }

    /// <summary>Takes the next whole frame out of the buffer; false (and notes its size) when it is not all here.</summary>
    private bool TryTakeFrame(out byte opcode, out bool fin, out int payloadStart, out int payloadLength)
    {
        opcode = 0;
        fin = false;
        payloadStart = 0;
        payloadLength = 0;
        var available = _end - _start;
        if (available < 2)
        {
            return false;
        }
        var b0 = _buffer[_start];
        var b1 = _buffer[_start + 1];
        if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0)
        {
            // Servers never mask, and we offered no extension, so no RSV bit may be set.
            throw new InvalidDataException("masked server frame or RSV bits set");
        }
        long length = b1 & 0x7F;
        var headerLength = 2;
        if (length == 126)
        {
            if (available < 4)
            {
                return false;
            }
            length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
            headerLength = 4;
        }
        else if (length == 127)
        {
            if (available < 10)
            {
                return false;
            }
            var length64 = BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2));
            if (length64 > MaxMessageLength)
            {
                throw new InvalidDataException($"frame of {length64} bytes");
            }
            length = (long)length64;
            headerLength = 10;
        }
        var frameLength = headerLength + (int)length;
        if (available < frameLength)
        {
            _needed = frameLength;
            return false;
        }
        _needed = 0;
        opcode = (byte)(b0 & 0x0F);
        fin = (b0 & 0x80) != 0;
        payloadStart = _start + headerLength;
        payloadLength = (int)length;
        _start += frameLength;
        return true;
    }

    /// <summary>
    /// Makes room before a read: the frame in progress must fit, and the free tail should stay large, since
    /// moving a partial frame down is cheaper than many short reads.
    /// </summary>
    private void PrepareRead()
    {
        var pending = _end - _start;
        if (pending == 0)
        {
            _start = _end = 0;
        }
        var required = Math.Max(_needed, pending + 1);
        if (required > _buffer.Length)
        {
            var bigger = new byte[Math.Max(required, 2 * _buffer.Length)];
            _buffer.AsSpan(_start, pending).CopyTo(bigger);
            _buffer = bigger;
            _start = 0;
            _end = pending;
            return;
        }
        if (_start > 0 && (_buffer.Length - _end < _buffer.Length / 4 || _start + required > _buffer.Length))
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }
    }
}
