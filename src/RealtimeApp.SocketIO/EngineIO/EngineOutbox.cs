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
    private TaskCompletionSource? _waiter;

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
        TaskCompletionSource? waiter;
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
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
        return true;
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
        lock (_gate)
        {
            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
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
