namespace RealtimeApp.SocketIO;

// Per-socket packet middlewares (Node's socket.use): between the catch-all listeners and the named ones.
public sealed partial class SocketContext
{
    private Func<SocketEvent, Func<Task>, Task>[] _middlewares = [];

    /// <summary>
    /// Adds a middleware every incoming event of this socket goes through, in registration order, after the
    /// <see cref="OnAny"/> listeners and before the listeners of the event's name (Node's <c>socket.use</c>).
    /// Call <c>next()</c> to pass the event on; it may first replace <see cref="SocketEvent.Arguments"/>, which
    /// later middlewares and the listeners then see. Throwing (Node's <c>next(err)</c>) rejects the event: the
    /// exception goes to the <see cref="OnError"/> listeners, the event's listeners do not run, no ack is sent,
    /// and the socket stays connected. Not calling <c>next</c> drops the event silently.
    /// </summary>
    /// <remarks>
    /// The listeners run once the whole chain has finished (as Node runs them on the next tick), so code after
    /// <c>await next()</c> runs before them, and an exception thrown there still rejects the event.
    /// </remarks>
    public SocketContext Use(Func<SocketEvent, Func<Task>, Task> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        lock (_handlersGate)
        {
            _middlewares = [.. _middlewares, middleware];
        }
        return this;
    }

    /// <summary>
    /// Runs <paramref name="middlewares"/> (the list as it was when the event came, as Node copies it) over
    /// <paramref name="e"/>; true when every one called <c>next</c>. A rejection has gone to the error listeners.
    /// </summary>
    internal async Task<bool> RunMiddlewaresAsync(SocketEvent e, Func<SocketEvent, Func<Task>, Task>[] middlewares)
    {
        var passed = 0;
        try
        {
            await Next(0);
        }
        catch (Exception ex)
        {
            RaiseError(ex);
            return false;
        }
        return passed == middlewares.Length;

        Task Next(int index)
        {
            // Counts the middlewares reached: each one reached through next() means its predecessor passed.
            passed = Math.Max(passed, index);
            return index < middlewares.Length ? middlewares[index](e, () => Next(index + 1)) : Task.CompletedTask;
        }
    }
}
