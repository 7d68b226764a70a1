using System.Buffers;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// A session's outgoing packets: bounded, any number of writers, one reader at a time (the pending poll,
/// or the WebSocket writer). The reader takes everything queued in one go, so a burst goes out as one batch.
/// Written for the per-session footprint: an idle session holds this object, a small ring and, while its
/// reader waits, one task — a bounded <c>Channel</c> holds about a kilobyte of operation objects instead.
/// </summary>
internal sealed class EngineOutbox(int capacity)
{
    private const int InitialSize = 4;
    private const int KeepWhenEmpty = 32; // a larger ring left by a burst is dropped once drained

    private readonly Lock _gate = new();
    private EnginePacket[] _ring = [];
    private int _head;
    private int _count;
    private bool _completed;
    private bool _wakePending;
    private SendBatch? _deferredBy; // the batch that will tell the reader about what is queued
    private TaskCompletionSource? _waiter;
    private Action? _signal;

    /// <summary>Packets queued now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>True once <see cref="Complete"/> was called and everything queued has been taken.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed && _count == 0;
            }
        }
    }

    /// <summary>Queues <paramref name="packet"/>; false when the outbox is full or completed.</summary>
    public bool TryWrite(EnginePacket packet)
    {
        var batch = SendBatch.Current;
        TaskCompletionSource? waiter;
        Action? signal;
        lock (_gate)
        {
            if (_completed || _count == capacity)
            {
                return false;
            }
            if (_count == _ring.Length)
            {
                Grow();
            }
            _ring[(_head + _count) % _ring.Length] = packet;
            _count++;
            if (batch is not null && (_deferredBy == batch || batch.TryDefer(this)))
            {
                _deferredBy = batch;
                return true; // the batch tells the reader when it ends
            }
            waiter = _waiter;
            _waiter = null;
            signal = _signal;
        }
        waiter?.TrySetResult();
        signal?.Invoke();
        return true;
    }

    /// <summary>The batch that held this outbox's reader back has ended: tell the reader what is queued.</summary>
    public void EndDeferral(SendBatch batch)
    {
        TaskCompletionSource? waiter;
        Action? signal;
        lock (_gate)
        {
            if (_deferredBy != batch)
            {
                return;
            }
            _deferredBy = null;
            if (_count == 0)
            {
                return;
            }
            waiter = _waiter;
            _waiter = null;
            signal = _signal;
        }
        waiter?.TrySetResult();
        signal?.Invoke();
    }

    /// <summary>
    /// For a reader that does not wait on <see cref="WaitAsync"/> but is told, on the producer's thread,
    /// that there is something to take: after a packet is queued (or, inside a <see cref="SendBatch"/>,
    /// when the batch ends), and on <see cref="Complete"/>.
    /// </summary>
    public void SetSignal(Action signal)
    {
        lock (_gate)
        {
            _signal = signal;
        }
    }

    /// <summary>Stops the calls to <paramref name="signal"/>, if it is still the one set (a newer reader keeps its own).</summary>
    public void ClearSignal(Action signal)
    {
        lock (_gate)
        {
            if (_signal == signal)
            {
                _signal = null;
            }
        }
    }

    /// <summary>Takes the oldest queued packet, if any.</summary>
    public bool TryRead(out EnginePacket packet)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                packet = null!;
                return false;
            }
            packet = _ring[_head];
            _ring[_head] = null!;
            _head = (_head + 1) % _ring.Length;
            _count--;
            return true;
        }
    }

    /// <summary>
    /// Takes every queued packet into a pooled array (give it back with <see cref="Return"/>); 0 when empty.
    /// </summary>
    public int TakeAll(out EnginePacket[] batch)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                batch = [];
                return 0;
            }
            var count = _count;
            batch = ArrayPool<EnginePacket>.Shared.Rent(count);
            for (var i = 0; i < count; i++)
            {
                var at = (_head + i) % _ring.Length;
                batch[i] = _ring[at];
                _ring[at] = null!;
            }
            _head = 0;
            _count = 0;
            if (_ring.Length > KeepWhenEmpty)
            {
                _ring = [];
            }
            return count;
        }
    }

    /// <summary>Gives back an array from <see cref="TakeAll"/>.</summary>
    public static void Return(EnginePacket[] batch)
    {
        if (batch.Length > 0)
        {
            ArrayPool<EnginePacket>.Shared.Return(batch, clearArray: true);
        }
    }

    /// <summary>
    /// Completes when a packet is queued, the outbox completes, or <see cref="Wake"/> is called (a wake with
    /// no reader waiting is kept for the next wait, so none is lost between a check and the wait). The
    /// reader looks again at whatever it waits for; continuations never run on the writer's thread.
    /// </summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_count > 0 || _completed || _wakePending)
            {
                _wakePending = false;
                return Task.CompletedTask;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    /// <summary>Wakes the reader so it looks again (its transport is changing or stopping).</summary>
    public void Wake()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _wakePending = waiter is null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>No more packets will be accepted; what is queued can still be taken.</summary>
    public void Complete()
    {
        TaskCompletionSource? waiter;
        Action? signal;
        lock (_gate)
        {
            _completed = true;
            waiter = _waiter;
            _waiter = null;
            signal = _signal;
        }
        waiter?.TrySetResult();
        signal?.Invoke();
    }

    // Called under _gate with a full ring.
    private void Grow()
    {
        var size = _ring.Length == 0 ? InitialSize : (int)Math.Min((long)_ring.Length * 2, capacity);
        var bigger = new EnginePacket[size];
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = _ring[(_head + i) % _ring.Length];
        }
        _ring = bigger;
        _head = 0;
    }
}
