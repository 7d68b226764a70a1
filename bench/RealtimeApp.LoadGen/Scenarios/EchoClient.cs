using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>State shared by the clients of one ack measurement.</summary>
internal sealed class AckRun
{
    private LatencyHistogram _histogram = new();
    private long _errors;

    /// <summary>Swapped for a fresh one when the window starts, so warm-up samples are dropped.</summary>
    public LatencyHistogram Histogram
    {
        get => Volatile.Read(ref _histogram);
        set => Volatile.Write(ref _histogram, value);
    }

    public volatile bool Stopping;

    public LossCounter Losses { get; } = new();

    public long Errors => Interlocked.Read(ref _errors);

    public void OnError() => Interlocked.Increment(ref _errors);
}

/// <summary>
/// A closed-loop emit-with-ack client: writes a burst of <c>42&lt;id&gt;["echo","&lt;32 chars&gt;"]</c> frames in one
/// send, waits for all their <c>43&lt;id&gt;…</c> acks, repeats. Burst 1 is the depth-1 ping-pong. Acks are matched
/// by the <c>43&lt;id&gt;</c> prefix only, so the Socket.IO reply and the ceiling's rewritten echo both count.
/// </summary>
internal sealed class EchoClient : PacketSink
{
    private static readonly byte[] EmitTail = "[\"echo\",\"abcdefghijklmnopqrstuvwxyz012345\"]"u8.ToArray();
    private static readonly byte[] EventName = "echo"u8.ToArray();
    private static readonly byte[] Argument = "abcdefghijklmnopqrstuvwxyz012345"u8.ToArray();

    private readonly WsConnection _connection;
    private readonly AckRun _run;
    private readonly int _burst;
    private readonly byte[] _frames;
    private readonly ArrayBufferWriter<byte>? _msgPack; // the msgpack parser's scratch buffer, else null
    private int _nextId;
    private int _expectedId;
    private int _outstanding;
    private long _sentAt;
    private long _acks;

    public EchoClient(WsConnection connection, AckRun run, int burst)
    {
        _connection = connection;
        _run = run;
        _burst = burst;
        // Header, "42", up to 10 id digits, the tail: well under 64 bytes a frame (msgpack: under 96).
        _frames = new byte[burst * 96];
        _msgPack = connection.Parser == WireParser.MsgPack ? new ArrayBufferWriter<byte>(WsFrames.SmallPayloadMax) : null;
    }

    public long Acks => Volatile.Read(ref _acks);

    /// <summary>Writes the next burst as one send. Called once to start, then by the last ack of each burst.</summary>
    public void SendBurst()
    {
        if (_run.Stopping)
        {
            return;
        }
        var length = 0;
        _expectedId = _nextId;
        for (var i = 0; i < _burst; i++)
        {
            length += WriteEmit(_frames.AsSpan(length), _nextId++);
        }
        _outstanding = _burst;
        _sentAt = Stopwatch.GetTimestamp();
        _connection.Send(_frames.AsSpan(0, length));
    }

    public override void OnPacket(WsConnection connection, ReadOnlySpan<byte> packet, long receivedAt)
    {
        if (packet.Length < 3 || packet[1] != (byte)'3')
        {
            return; // not an ack
        }
        if (!Utf8Parser.TryParse(packet[2..], out int id, out _) || id != _expectedId)
        {
            _run.OnError();
        }
        _expectedId++;
        _run.Histogram.RecordTicks(receivedAt - _sentAt);
        Volatile.Write(ref _acks, _acks + 1);
        if (--_outstanding == 0)
        {
            SendBurst();
        }
    }

    public override void OnLost(WsConnection connection, string reason) => _run.Losses.OnLost(reason);

    private int WriteEmit(Span<byte> frame, int id)
    {
        if (_msgPack is not null)
        {
            return MsgPackWire.WriteEvent(frame, _msgPack, EventName, Argument, id);
        }
        var payload = frame[WsFrames.SmallHeaderLength..];
        payload[0] = (byte)'4';
        payload[1] = (byte)'2';
        Utf8Formatter.TryFormat(id, payload[2..], out var digits);
        EmitTail.CopyTo(payload[(2 + digits)..]);
        return WsFrames.CompleteSmallFrame(frame, WsFrames.OpText, 2 + digits + EmitTail.Length);
    }
}
