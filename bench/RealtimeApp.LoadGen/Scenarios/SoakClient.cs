using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// One of the soak's N client slots: a loop of cycles until the run stops. A cycle connects (WebSocket, Engine.IO
/// open, <c>40</c> to <c>/</c>), joins one or two rooms, does 2–6 <c>echo</c> emit-with-acks with a think
/// time, sometimes an <c>ask</c> (the server emits to us with an ack of its own) and a <c>roomcast</c>, and leaves in
/// one of several ways; then a random pause, then the next cycle. A few cycles hold ~30 s (heartbeats) and a few are
/// polling sessions instead (<see cref="SoakPolling"/>).
/// </summary>
internal sealed class SoakClient(SoakRun run)
{
    // Pacing: a connection lives ~6 s (2–6 echoes, 0.5–2.5 s apart), then a 0.2–2 s pause. At N = 10,000 that is
    // ~1,300 connects/s with ~8,500 sessions open: the sessions table churns at full size while the server (one
    // core) still has headroom, so latencies and timeouts reflect the server, not a queue. The loop is closed, so
    // a slower server just gets fewer cycles.
    private const int InitialSpreadMs = 5000;
    private const int PauseMinMs = 200;
    private const int PauseMaxMs = 2000;
    private const int ThinkMinMs = 500;
    private const int ThinkMaxMs = 2500;
    private const int MinEchoes = 2;
    private const int MaxEchoes = 6;
    private const double AskShare = 0.25;
    private const double RoomcastShare = 0.25;

    // 1 % of cycles hold ~30 s with an echo every 3–6 s, so ping rounds (25 s) happen on live connections too.
    private const double LongHoldShare = 0.01;
    private static readonly TimeSpan LongHold = TimeSpan.FromSeconds(30);

    // 2 % of cycles are Engine.IO polling sessions instead of WebSocket ones.
    private const double PollingShare = 0.02;

    // How a WebSocket cycle ends (cumulative thresholds): 40 % clean (41 + websocket close), 15 % Engine.IO close
    // packet, 23 % TCP reset, 21.5 % TCP reset right after an emit (the server handles it and acks into a dead
    // socket), 0.5 % silent (the socket stays open, pings go unanswered: the server must time it out after
    // pingInterval + pingTimeout = 45 s). Silent clients are few because each parks its slot for 45 s.
    private const double LeaveClean = 0.40;
    private const double LeaveEngineClose = 0.55;
    private const double LeaveAbort = 0.78;
    private const double LeaveAbortMidAck = 0.995;

    private const int ReceiveBufferSize = 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SilentTimeout = TimeSpan.FromSeconds(70); // 45 s of ping timeout + slack

    public const string EchoPayload = "abcdefghijklmnopqrstuvwxyz012345";

    public static ReadOnlySpan<byte> EchoPayloadUtf8 => "abcdefghijklmnopqrstuvwxyz012345"u8;

    private static readonly byte[] CleanClose = [.. WsFrames.TextFrame("41"u8), .. CloseFrame()];
    private static readonly byte[] EngineClose = WsFrames.TextFrame("1"u8);

    private readonly byte[] _frame = new byte[WsFrames.SmallHeaderLength + WsFrames.SmallPayloadMax];
    private SoakSession? _session;
    private int _nextId;

    /// <summary>The loop: cycles with pauses until the run stops (a cycle under way finishes, leaving as drawn).</summary>
    public async Task RunAsync()
    {
        var stop = run.Stopping;
        if (!await DelayAsync(Random.Shared.Next(InitialSpreadMs), stop))
        {
            return;
        }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (Random.Shared.NextDouble() < PollingShare)
                {
                    await SoakPolling.CycleAsync(run);
                }
                else
                {
                    await CycleAsync();
                }
            }
            catch (Exception e)
            {
                run.ProtocolErrors.OnLost($"client bug: {e.GetType().Name}: {e.Message}");
            }
            run.Count(SoakCount.Cycles);
            if (!await DelayAsync(Random.Shared.Next(PauseMinMs, PauseMaxMs), stop))
            {
                break;
            }
        }
    }

    /// <summary>Resets the connection of a client still busy when the orchestrator gives up waiting.</summary>
    public void Abort() => Volatile.Read(ref _session)?.Connection.Dispose();

    /// <summary>Waits; false when the run stopped meanwhile.</summary>
    private static async Task<bool> DelayAsync(int milliseconds, CancellationToken stop)
    {
        await Task.Delay(milliseconds, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !stop.IsCancellationRequested;
    }

    private async Task CycleAsync()
    {
        WsConnection connection;
        await run.ConnectGate.WaitAsync();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            connection = await WsConnection.ConnectAsync(run.Target, ReceiveBufferSize, timeout.Token, run.NextAuthorizationHeader());
        }
        catch (Exception e)
        {
            run.ConnectFailures.OnLost(e is OperationCanceledException ? "connect timed out" : $"{e.GetType().Name}: {e.Message}");
            return;
        }
        finally
        {
            run.ConnectGate.Release();
        }
        run.ConnectLatency.RecordTicks(Stopwatch.GetTimestamp() - started);
        await SocketThread.Leave();
        run.Count(SoakCount.Connects);
        run.Count(SoakCount.WebSocketConnects);

        var session = new SoakSession(run, connection);
        Volatile.Write(ref _session, session);
        connection.Start(session);
        try
        {
            if (await WorkAsync(session))
            {
                await LeaveAsync(session);
            }
        }
        finally
        {
            connection.Dispose(); // linger 0: a reset, no TIME_WAIT (see ClientSockets)
            Volatile.Write(ref _session, null);
        }
    }

    /// <summary>Rooms, echoes, maybe ask and roomcast; false when the connection failed (already counted).</summary>
    private async Task<bool> WorkAsync(SoakSession session)
    {
        var stop = run.Stopping;
        var room = $"room-{Random.Shared.Next(run.RoomNames)}";
        var join = Random.Shared.Next(2) == 0
            ? $"[\"join\",\"{room}\"]"
            : $"[\"join\",\"{room}\",\"room-{Random.Shared.Next(run.RoomNames)}\"]";
        if (!await EmitAsync(session, AckKind.Join, join))
        {
            return false;
        }

        if (Random.Shared.NextDouble() < LongHoldShare)
        {
            run.Count(SoakCount.LongHolds);
            var until = Stopwatch.GetTimestamp() + (long)(LongHold.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                if (!await EmitAsync(session, AckKind.Echo, $"[\"echo\",\"{EchoPayload}\"]"))
                {
                    return false;
                }
                if (!await DelayAsync(Random.Shared.Next(3000, 6000), stop))
                {
                    break;
                }
            }
        }
        else
        {
            var echoes = Random.Shared.Next(MinEchoes, MaxEchoes + 1);
            for (var i = 0; i < echoes; i++)
            {
                if (!await EmitAsync(session, AckKind.Echo, $"[\"echo\",\"{EchoPayload}\"]"))
                {
                    return false;
                }
                if (!await DelayAsync(Random.Shared.Next(ThinkMinMs, ThinkMaxMs), stop))
                {
                    break;
                }
            }
        }

        if (stop.IsCancellationRequested)
        {
            return true;
        }
        if (Random.Shared.NextDouble() < AskShare && !await EmitAsync(session, AckKind.Ask, "[\"ask\"]"))
        {
            return false;
        }
        if (Random.Shared.NextDouble() < RoomcastShare
            && !await EmitAsync(session, AckKind.Other, $"[\"roomcast\",\"{room}\",\"{EchoPayload}\"]"))
        {
            return false;
        }
        return true;
    }

    private async Task LeaveAsync(SoakSession session)
    {
        var connection = session.Connection;
        var draw = Random.Shared.NextDouble();
        if (draw < LeaveClean)
        {
            // What socket.io-client does on disconnect(): leave the namespace, close the websocket.
            run.Count(SoakCount.LeftClean);
            session.Leaving = true;
            connection.Send(CleanClose);
            await WaitClosedAsync(session, CloseTimeout, "websocket close");
        }
        else if (draw < LeaveEngineClose)
        {
            run.Count(SoakCount.LeftEngineClose);
            session.Leaving = true;
            connection.Send(EngineClose);
            await WaitClosedAsync(session, CloseTimeout, "engine.io close packet");
        }
        else if (draw < LeaveAbort)
        {
            run.Count(SoakCount.LeftAbort); // the reset happens in CycleAsync's Dispose
        }
        else if (draw < LeaveAbortMidAck)
        {
            run.Count(SoakCount.LeftAbortMidAck);
            session.Leaving = true;
            connection.Send(_frame.AsSpan(0, WriteEmit(_nextId++, $"[\"echo\",\"{EchoPayload}\"]")));
        }
        else
        {
            run.Count(SoakCount.LeftSilent);
            session.Leaving = true;
            connection.AnswerPings = false;
            if (await WaitClosedAsync(session, SilentTimeout, "silent client (pings unanswered)"))
            {
                run.Count(SoakCount.SilentTimedOut);
            }
        }
    }

    /// <summary>Waits for the server to close the connection; a failure when it does not in time.</summary>
    private async Task<bool> WaitClosedAsync(SoakSession session, TimeSpan timeout, string what)
    {
        await session.Closed.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (session.Closed.IsCompleted)
        {
            return true;
        }
        run.CloseNotConfirmed.OnLost($"{what}: connection still open after {timeout.TotalSeconds:0} s");
        return false;
    }

    /// <summary>Emits <c>42&lt;id&gt;<paramref name="json"/></c> and waits for its ack; false on failure (counted).</summary>
    private async Task<bool> EmitAsync(SoakSession session, AckKind kind, string json)
    {
        var id = _nextId++;
        var length = WriteEmit(id, json);
        var waiter = session.Expect(id, kind);
        if (!session.Connection.Send(_frame.AsSpan(0, length)))
        {
            session.CancelExpect(waiter);
            session.ReportUnexpectedClose("send failed");
            return false;
        }
        try
        {
            return await waiter.WaitAsync(AckTimeout);
        }
        catch (TimeoutException)
        {
            if (session.CancelExpect(waiter))
            {
                run.AckTimeouts.OnLost($"{kind} ack not received within {AckTimeout.TotalSeconds:0} s");
            }
            return false;
        }
    }

    private int WriteEmit(int id, string json)
    {
        var payload = _frame.AsSpan(WsFrames.SmallHeaderLength);
        payload[0] = (byte)'4';
        payload[1] = (byte)'2';
        Utf8Formatter.TryFormat(id, payload[2..], out var digits);
        var written = Encoding.ASCII.GetBytes(json, payload[(2 + digits)..]);
        return WsFrames.CompleteSmallFrame(_frame, WsFrames.OpText, 2 + digits + written);
    }

    private static byte[] CloseFrame()
    {
        var frame = new byte[WsFrames.SmallHeaderLength + 2];
        return frame[..WsFrames.WriteSmallFrame(frame, WsFrames.OpClose, [0x03, 0xE8])]; // 1000: normal closure
    }
}

internal enum AckKind
{
    Join,
    Echo,
    Ask,
    Other,
}

/// <summary>
/// One connection of a soak client: matches acks to the one emit outstanding, answers the server's <c>ask</c>,
/// counts room messages, and tells unexpected closes from the ones the client asked for.
/// </summary>
internal sealed class SoakSession(SoakRun run, WsConnection connection) : PacketSink
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<bool>? _waiter;
    private int _ackId;
    private AckKind _ackKind;
    private long _sentAt;
    private volatile bool _leaving;
    private int _closeReported;

    public WsConnection Connection { get; } = connection;

    /// <summary>Completes when the server closed the connection (or it was reset).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Set before the client starts leaving: from then on a close is expected.</summary>
    public bool Leaving
    {
        get => _leaving;
        set => _leaving = value;
    }

    /// <summary>Counts an unexpected close once per connection (a failed send, a 41 and the reset may all see it).</summary>
    public void ReportUnexpectedClose(string reason)
    {
        if (!_leaving && Interlocked.Exchange(ref _closeReported, 1) == 0)
        {
            run.UnexpectedCloses.OnLost(reason);
        }
    }

    public Task<bool> Expect(int id, AckKind kind)
    {
        var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ackId = id;
        _ackKind = kind;
        _sentAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _waiter, waiter);
        return waiter.Task;
    }

    /// <summary>Stops waiting; false when the ack (or the loss) got there first.</summary>
    public bool CancelExpect(Task<bool> waiter) =>
        Volatile.Read(ref _waiter) is { } current && current.Task == waiter
        && Interlocked.CompareExchange(ref _waiter, null, current) == current;

    public override void OnPacket(WsConnection connection, ReadOnlySpan<byte> packet, long receivedAt)
    {
        if (packet.Length < 2)
        {
            return;
        }
        switch (packet[1])
        {
            case (byte)'3':
                OnAck(packet[2..], receivedAt);
                break;
            case (byte)'2':
                OnEvent(packet[2..]);
                break;
            case (byte)'1':
                ReportUnexpectedClose("server sent a namespace disconnect (41)");
                break;
        }
    }

    public override void OnLost(WsConnection connection, string reason)
    {
        ReportUnexpectedClose(reason);
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult(false);
        _closed.TrySetResult();
    }

    private void OnAck(ReadOnlySpan<byte> body, long receivedAt)
    {
        if (!Utf8Parser.TryParse(body, out int id, out var digits))
        {
            run.ProtocolErrors.OnLost("ack without an id");
            return;
        }
        var waiter = Volatile.Read(ref _waiter);
        if (waiter is null || id != _ackId)
        {
            if (!_leaving) // after an abort-mid-ack emit nobody waits; a late ack of a timed-out emit is counted there
            {
                run.ProtocolErrors.OnLost($"ack {id} not waited for");
            }
            return;
        }
        if (Interlocked.CompareExchange(ref _waiter, null, waiter) != waiter)
        {
            return;
        }
        run.Count(SoakCount.Acks);
        switch (_ackKind)
        {
            case AckKind.Echo:
                run.AckLatency.RecordTicks(receivedAt - _sentAt);
                run.Count(SoakCount.EchoAcks);
                if (body[digits..].IndexOf(SoakClient.EchoPayloadUtf8) < 0)
                {
                    run.ProtocolErrors.OnLost("echo ack without the payload");
                }
                break;
            case AckKind.Ask when body[digits..].IndexOf("timeout"u8) >= 0:
                run.AskTimeouts.OnLost("the server's ask got no ack within 5 s");
                break;
        }
        waiter.TrySetResult(true);
    }

    private void OnEvent(ReadOnlySpan<byte> body)
    {
        var ackId = -1;
        if (Utf8Parser.TryParse(body, out int id, out var digits))
        {
            ackId = id;
            body = body[digits..];
        }
        if (body.StartsWith("[\"ask\""u8))
        {
            if (ackId < 0)
            {
                run.ProtocolErrors.OnLost("ask without an ack id");
                return;
            }
            // 43<id>["ok"]
            Span<byte> frame = stackalloc byte[WsFrames.SmallHeaderLength + 32];
            var payload = frame[WsFrames.SmallHeaderLength..];
            payload[0] = (byte)'4';
            payload[1] = (byte)'3';
            Utf8Formatter.TryFormat(ackId, payload[2..], out var written);
            "[\"ok\"]"u8.CopyTo(payload[(2 + written)..]);
            Connection.Send(frame[..WsFrames.CompleteSmallFrame(frame, WsFrames.OpText, 2 + written + 6)]);
            run.Count(SoakCount.AsksAnswered);
        }
        else if (body.StartsWith("[\"r\""u8))
        {
            run.Count(SoakCount.RoomMessages);
        }
    }
}
