using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// Flow control of one broadcast measurement. A broadcast stays outstanding until the sender has its ack AND
/// every receiver has it (N + 1 events, counted down in a ring slot); the sender keeps at most D outstanding, so
/// nothing queues without bound on either side and the rate is what the server sustains.
/// </summary>
internal sealed class BroadcastRun(int receivers, int depth)
{
    private const int Ring = 64; // > any depth we run: a slot is reused only after its broadcast settled

    private readonly int[] _pending = new int[Ring];
    private LatencyHistogram _histogram = new();

    public int Receivers { get; } = receivers;

    public int Depth { get; } = depth <= Ring ? depth : throw new ArgumentOutOfRangeException(nameof(depth));

    public LatencyHistogram Histogram
    {
        get => Volatile.Read(ref _histogram);
        set => Volatile.Write(ref _histogram, value);
    }

    public volatile bool Stopping;

    public BroadcastSender? Sender { get; set; }

    public LossCounter Losses { get; } = new();

    public void Arm(long sequence) => Volatile.Write(ref _pending[sequence & (Ring - 1)], Receivers + 1);

    /// <summary>One receipt or the ack of broadcast <paramref name="sequence"/>; the last one frees a slot.</summary>
    public void Settle(long sequence)
    {
        if (Interlocked.Decrement(ref _pending[sequence & (Ring - 1)]) == 0)
        {
            Sender!.OnSettled();
        }
    }
}

/// <summary>
/// Sends <c>42&lt;seq&gt;["bcast","T&lt;20-digit timestamp&gt;|&lt;10-digit seq&gt;|padding"]</c> (a 64-char payload); the
/// ack id is the sequence number. The timestamp is <see cref="Stopwatch.GetTimestamp"/> of this process, so a
/// receiver's delay is its read time minus the embedded stamp.
/// </summary>
internal sealed class BroadcastSender(WsConnection connection, BroadcastRun run)
{
    public const int PayloadLength = 64;
    public const int StampDigits = 20;
    public const int SequenceDigits = 10;

    private static readonly byte[] EmitMiddle = "[\"bcast\",\""u8.ToArray();

    private readonly Lock _lock = new();
    private readonly byte[] _frame = new byte[WsFrames.SmallHeaderLength + 128];
    private readonly byte[] _msgPackFrame = new byte[WsFrames.SmallHeaderLength + 128];
    private readonly ArrayBufferWriter<byte>? _msgPack =
        connection.Parser == WireParser.MsgPack ? new ArrayBufferWriter<byte>(WsFrames.SmallPayloadMax) : null;
    private long _nextSequence;
    private long _settled;
    private int _outstanding;

    public long Settled => Interlocked.Read(ref _settled);

    public int Outstanding => Volatile.Read(ref _outstanding);

    public void Start()
    {
        for (var i = 0; i < run.Depth; i++)
        {
            SendNext();
        }
    }

    public void OnSettled()
    {
        Interlocked.Increment(ref _settled);
        Interlocked.Decrement(ref _outstanding);
        SendNext();
    }

    private void SendNext()
    {
        if (run.Stopping)
        {
            return;
        }
        // Settles arrive on any receiver's thread; the lock keeps one frame buffer and ordered sequence numbers.
        lock (_lock)
        {
            var sequence = _nextSequence++;
            run.Arm(sequence);
            Interlocked.Increment(ref _outstanding);
            var payload = _frame.AsSpan(WsFrames.SmallHeaderLength);
            payload[0] = (byte)'4';
            payload[1] = (byte)'2';
            Utf8Formatter.TryFormat(sequence, payload[2..], out var length);
            length += 2;
            EmitMiddle.CopyTo(payload[length..]);
            length += EmitMiddle.Length;
            var stamp = payload.Slice(length, PayloadLength);
            stamp.Fill((byte)'x');
            stamp[0] = (byte)'T';
            stamp[1 + StampDigits] = (byte)'|';
            Utf8Formatter.TryFormat(sequence, stamp.Slice(2 + StampDigits, SequenceDigits), out _, new('D', SequenceDigits));
            stamp[2 + StampDigits + SequenceDigits] = (byte)'|';
            length += PayloadLength;
            payload[length++] = (byte)'"';
            payload[length++] = (byte)']';
            // Stamp last, just before the send.
            Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), stamp.Slice(1, StampDigits), out _, new('D', StampDigits));
            if (_msgPack is not null)
            {
                // The same event and payload as a msgpack packet (the JSON frame above is its source).
                connection.Send(_msgPackFrame.AsSpan(0,
                    MsgPackWire.WriteEvent(_msgPackFrame, _msgPack, "bcast"u8, stamp, sequence)));
                return;
            }
            connection.Send(_frame.AsSpan(0, WsFrames.CompleteSmallFrame(_frame, WsFrames.OpText, length)));
        }
    }
}

/// <summary>
/// A broadcast receiver: counts <c>42["b","T…"]</c> packets, records their delivery delay and settles them. The
/// sender's own connection is a receiver too, and also settles the <c>43&lt;seq&gt;[]</c> acks.
/// </summary>
internal sealed class BroadcastReceiver(BroadcastRun run, bool isSender) : PacketSink
{
    private static readonly byte[] Prefix = "42[\"b\",\"T"u8.ToArray();

    private long _deliveries;

    public long Deliveries => Volatile.Read(ref _deliveries);

    public override void OnPacket(WsConnection connection, ReadOnlySpan<byte> packet, long receivedAt)
    {
        if (packet.StartsWith(Prefix))
        {
            var stamp = packet[Prefix.Length..];
            if (stamp.Length > BroadcastSender.StampDigits + 1 + BroadcastSender.SequenceDigits
                && Utf8Parser.TryParse(stamp[..BroadcastSender.StampDigits], out long sentAt, out _)
                && Utf8Parser.TryParse(stamp.Slice(BroadcastSender.StampDigits + 1, BroadcastSender.SequenceDigits), out long sequence, out _))
            {
                run.Histogram.RecordTicks(receivedAt - sentAt);
                Volatile.Write(ref _deliveries, _deliveries + 1);
                run.Settle(sequence);
            }
        }
        else if (isSender && packet.Length > 2 && packet[1] == (byte)'3' && Utf8Parser.TryParse(packet[2..], out long acked, out _))
        {
            run.Settle(acked);
        }
    }

    public override void OnLost(WsConnection connection, string reason) => run.Losses.OnLost(reason);
}
