namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// Sends held back while a receive loop handles messages that have already arrived. Every outbox written to
/// meanwhile (the session's own answers, and each recipient of a broadcast a handler makes) is told once,
/// when the batch ends, so each socket gets one write for everything queued instead of one per packet: the
/// write coalescing that makes a burst of broadcasts cheap.
/// The batch is ambient (an <see cref="AsyncLocal{T}"/> set by the receive loop), so it reaches handler code
/// without a parameter; a send made after the batch has ended (an async handler's continuation, a timer
/// started from a handler) finds it closed and is sent at once.
/// </summary>
internal sealed class SendBatch
{
    private static readonly AsyncLocal<SendBatch?> Ambient = new();

    private readonly Lock _gate = new();
    private List<EngineOutbox>? _deferred;
    private bool _open;

    /// <summary>The batch of the receive loop this code runs in, if any.</summary>
    public static SendBatch? Current => Ambient.Value;

    /// <summary>Makes this batch the ambient one for the calling async flow (the receive loop).</summary>
    public void MakeCurrent() => Ambient.Value = this;

    /// <summary>Makes <paramref name="batch"/> the ambient one and returns the one it replaces (to put it back).</summary>
    public static SendBatch? Exchange(SendBatch? batch)
    {
        var previous = Ambient.Value;
        Ambient.Value = batch;
        return previous;
    }

    /// <summary>Starts holding sends back.</summary>
    public void Open()
    {
        lock (_gate)
        {
            _open = true;
        }
    }

    /// <summary>Registers <paramref name="outbox"/> to be told at <see cref="End"/>; false once the batch has ended.</summary>
    public bool TryDefer(EngineOutbox outbox)
    {
        lock (_gate)
        {
            if (!_open)
            {
                return false;
            }
            (_deferred ??= []).Add(outbox);
            return true;
        }
    }

    /// <summary>Stops holding sends back and tells every outbox written to meanwhile.</summary>
    public void End()
    {
        List<EngineOutbox>? deferred;
        lock (_gate)
        {
            _open = false;
            deferred = _deferred;
            _deferred = null;
        }
        if (deferred is null)
        {
            return;
        }
        foreach (var outbox in deferred)
        {
            outbox.EndDeferral(this);
        }
    }
}
