namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// Something a <see cref="DeadlineQueue"/> can hold: an intrusive list node, so arming, re-arming and
/// cancelling allocate nothing and a cancelled node is unlinked at once (a closed session is not kept
/// alive until its old deadline). One node belongs to at most one queue at a time.
/// </summary>
internal abstract class Deadline
{
    internal Deadline? Previous;
    internal Deadline? Next;
    internal DeadlineQueue? Queue;
    internal long Due; // in the queue's TimeProvider timestamps
    private int _generation;

    /// <summary>Increments on every arm and cancel, so a firing that lost a race with either is recognised.</summary>
    internal int Generation => Volatile.Read(ref _generation);

    internal int NextGeneration() => Interlocked.Increment(ref _generation);

    /// <summary>Called on the queue's timer thread, outside the queue's lock, once <see cref="Due"/> has passed.</summary>
    /// <param name="generation">The generation the node had when it fell due; stale when it differs from <see cref="Generation"/>.</param>
    internal abstract void OnDue(int generation);

    /// <summary>Removes the node from whatever queue holds it (no-op when it is in none).</summary>
    internal void Cancel()
    {
        NextGeneration();
        Queue?.Remove(this);
    }
}

/// <summary>
/// Timeouts of one fixed length for many owners (every session's ping interval, ping timeout, connect timeout)
/// on one timer, instead of one <see cref="ITimer"/> per owner. Per-owner timers cost ~120 B each plus the
/// captured execution context of the request that made them (its Activity and async locals, ~270 B), which a
/// session kept for its whole life, and a timer-queue insertion per handshake. Because the length is fixed and
/// the clock only moves forward, appending keeps the list sorted by due time: arming is O(1), the timer only ever
/// waits for the head, and each node still falls due at exactly its own deadline (as a per-owner timer would).
/// </summary>
internal sealed class DeadlineQueue(TimeProvider time, TimeSpan length)
{
    private readonly Lock _gate = new();
    private readonly long _lengthTicks = ToTimestampTicks(time, length);
    private Deadline? _head;
    private Deadline? _tail;
    private ITimer? _timer;
    private long _timerDue = long.MaxValue; // when the timer fires next (MaxValue: not armed)

    public TimeSpan Length => length;

    /// <summary>Arms <paramref name="node"/> to fall due <see cref="Length"/> from now, moving it from any queue it is in.</summary>
    /// <returns>The node's new generation, which <see cref="Deadline.OnDue"/> receives.</returns>
    public int Arm(Deadline node)
    {
        node.Queue?.Remove(node);
        var generation = node.NextGeneration();
        lock (_gate)
        {
            var now = time.GetTimestamp();
            node.Due = now + _lengthTicks;
            node.Queue = this;
            node.Previous = _tail;
            node.Next = null;
            if (_tail is null)
            {
                _head = node;
            }
            else
            {
                _tail.Next = node;
            }
            _tail = node;
            if (_timerDue > node.Due)
            {
                ArmTimer(node.Due, now);
            }
        }
        return generation;
    }

    internal void Remove(Deadline node)
    {
        lock (_gate)
        {
            if (node.Queue != this)
            {
                return;
            }
            Unlink(node);
            // The timer stays as it is: firing early for a removed head finds nothing due and waits for the next one.
        }
    }

    private void Unlink(Deadline node)
    {
        if (node.Previous is null)
        {
            _head = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }
        if (node.Next is null)
        {
            _tail = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }
        node.Previous = node.Next = null;
        node.Queue = null;
    }

    // Under _gate.
    private void ArmTimer(long due, long now)
    {
        _timerDue = due;
        var wait = ToTimeSpan(due - now);
        if (_timer is null)
        {
            // The timer must not keep the execution context of the request that happened to arm it first.
            if (ExecutionContext.IsFlowSuppressed())
            {
                _timer = CreateTimer(wait);
            }
            else
            {
                using (ExecutionContext.SuppressFlow())
                {
                    _timer = CreateTimer(wait);
                }
            }
        }
        else
        {
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private ITimer CreateTimer(TimeSpan wait) =>
        time.CreateTimer(static s => ((DeadlineQueue)s!).OnTimer(), this, wait, Timeout.InfiniteTimeSpan);

    private void OnTimer()
    {
        while (true)
        {
            Deadline node;
            int generation;
            lock (_gate)
            {
                var now = time.GetTimestamp();
                if (_head is not { } head || head.Due > now)
                {
                    _timerDue = long.MaxValue;
                    if (_head is { } next)
                    {
                        ArmTimer(next.Due, now);
                    }
                    return;
                }
                node = head;
                generation = node.Generation;
                Unlink(node);
            }
            // Outside the lock: the owner takes its own lock and may re-arm the node in this or another queue.
            node.OnDue(generation);
        }
    }

    private static long ToTimestampTicks(TimeProvider time, TimeSpan span) =>
        (long)Math.Ceiling(span.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);

    // Rounded up, so the timer never fires before the head is due.
    private TimeSpan ToTimeSpan(long timestampTicks) =>
        TimeSpan.FromTicks((long)Math.Ceiling(Math.Max(0, timestampTicks) * (double)TimeSpan.TicksPerSecond / time.TimestampFrequency));
}
