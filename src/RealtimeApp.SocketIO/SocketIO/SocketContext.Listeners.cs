using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

// The listener lists, with Node's EventEmitter semantics: each list is an immutable array replaced under a
// lock (copy on write), so a dispatch iterates the array it read and a listener added or removed meanwhile
// changes the next dispatch only — as Node copies the array before calling the listeners.
public sealed partial class SocketContext
{
    /// <summary>
    /// A listener: the event's name, the delegate as registered (what <see cref="Off"/> compares) and, for typed
    /// overloads, the call that binds the payload first. Plain handlers are called as registered: no wrapper
    /// object per socket for them.
    /// </summary>
    internal readonly record struct EventListener(string Name, Delegate Registered, Func<SocketEvent, Task>? Bound = null)
    {
        public Task InvokeAsync(SocketEvent e)
        {
            if (Bound is not null)
            {
                return Bound(e);
            }
            if (Registered is Func<SocketEvent, Task> asynchronous)
            {
                return asynchronous(e);
            }
            ((Action<SocketEvent>)Registered)(e);
            return Task.CompletedTask;
        }
    }

    /// <summary>The listeners of one event name within a snapshot of the list (no copy is made to dispatch).</summary>
    internal readonly struct ListenerMatches(EventListener[] listeners, string name)
    {
        public Enumerator GetEnumerator() => new(listeners, name);

        internal struct Enumerator(EventListener[] listeners, string name)
        {
            private int _index = -1;

            public readonly EventListener Current => listeners[_index];

            public bool MoveNext()
            {
                while (++_index < listeners.Length)
                {
                    if (listeners[_index].Name == name)
                    {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private readonly Lock _handlersGate = new();
    // Every named listener in registration order, one flat array (an idle socket with a handful of handlers
    // keeps one small array, not a dictionary of arrays); looked up by a scan, which for the few names a socket
    // listens to is as quick as hashing the name.
    private EventListener[] _listeners = [];
    private Func<SocketEvent, Task>[] _anyHandlers = [];
    // Null until the first outgoing listener: a broadcast reads this once per socket and does nothing more.
    private Action<string, SocketArguments>[]? _anyOutgoing;
    private Action<Exception>[] _errorListeners = [];

    private SocketContext AddListener(string eventName, Delegate registered, Func<SocketEvent, Task>? bound = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(registered);
        lock (_handlersGate)
        {
            _listeners = [.. _listeners, new EventListener(eventName, registered, bound)];
        }
        return this;
    }

    /// <summary>The listeners of <paramref name="eventName"/> now (the array read is never changed in place).</summary>
    internal ListenerMatches ListenersFor(string eventName) => new(_listeners, eventName);

    /// <summary>
    /// Removes <paramref name="listener"/> (the delegate given to <c>On</c>, typed overloads included) from
    /// <paramref name="eventName"/> (Node's <c>socket.off(event, listener)</c>): the most recently added
    /// registration of it, as Node's <c>removeListener</c>. A dispatch already under way still calls it.
    /// </summary>
    public SocketContext Off(string eventName, Delegate listener)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(listener);
        lock (_handlersGate)
        {
            var index = Array.FindLastIndex(_listeners, l => l.Name == eventName && l.Registered.Equals(listener));
            if (index >= 0)
            {
                _listeners = [.. _listeners[..index], .. _listeners[(index + 1)..]];
            }
        }
        return this;
    }

    /// <summary>
    /// Removes every listener of <paramref name="eventName"/>, or, when null, of every event (catch-all and
    /// outgoing listeners and middlewares stay; <c>"error"</c> also removes the <see cref="OnError"/> listeners).
    /// Node's <c>removeAllListeners</c>.
    /// </summary>
    public SocketContext RemoveAllListeners(string? eventName = null)
    {
        lock (_handlersGate)
        {
            if (eventName is null)
            {
                _listeners = [];
                _errorListeners = [];
            }
            else
            {
                if (eventName == ErrorEvent)
                {
                    _errorListeners = [];
                }
                RemoveNamed(eventName);
            }
        }
        return this;
    }

    // Under _handlersGate.
    private void RemoveNamed(string eventName)
    {
        if (Array.Exists(_listeners, l => l.Name == eventName))
        {
            _listeners = Array.FindAll(_listeners, l => l.Name != eventName);
        }
    }

    /// <summary>
    /// The listeners of <paramref name="eventName"/>, as registered, in call order (Node's <c>listeners(event)</c>);
    /// for <c>"error"</c>, the <see cref="OnError"/> listeners first (Node keeps both kinds in one list).
    /// </summary>
    public IReadOnlyList<Delegate> Listeners(string eventName) =>
        eventName == ErrorEvent
            ? [.. _errorListeners, .. RegisteredFor(eventName)]
            : RegisteredFor(eventName);

    private List<Delegate> RegisteredFor(string eventName)
    {
        var registered = new List<Delegate>();
        foreach (var listener in ListenersFor(eventName))
        {
            registered.Add(listener.Registered);
        }
        return registered;
    }

    private const string ErrorEvent = "error";

    /// <summary>
    /// Listens for this socket's errors (Node's <c>socket.on("error")</c>): today, an event a
    /// <see cref="Use"/> middleware rejected. Without a listener the error is logged. Unlike Node, where one
    /// <c>"error"</c> list also gets an event a client emits under that name, such an event goes to
    /// <c>On("error", …)</c> listeners only, as any other event.
    /// </summary>
    public SocketContext OnError(Action<Exception> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_handlersGate)
        {
            _errorListeners = [.. _errorListeners, listener];
        }
        return this;
    }

    /// <summary>Listens to every incoming event (Node's <c>socket.onAny</c>), before the middlewares and named listeners.</summary>
    public SocketContext OnAny(Func<SocketEvent, Task> listener) => AddAny(listener, prepend: false);

    /// <summary>As <see cref="OnAny"/>, first in the list (Node's <c>socket.prependAny</c>).</summary>
    public SocketContext PrependAny(Func<SocketEvent, Task> listener) => AddAny(listener, prepend: true);

    /// <summary>
    /// Removes <paramref name="listener"/> from the catch-all listeners (its first registration, as Node's
    /// <c>offAny</c>), or every catch-all listener when null.
    /// </summary>
    public SocketContext OffAny(Func<SocketEvent, Task>? listener = null)
    {
        lock (_handlersGate)
        {
            _anyHandlers = Without(_anyHandlers, listener) ?? [];
        }
        return this;
    }

    /// <summary>The catch-all listeners, in call order (a copy; Node's <c>listenersAny</c>).</summary>
    public IReadOnlyList<Func<SocketEvent, Task>> ListenersAny() => [.. _anyHandlers];

    private SocketContext AddAny(Func<SocketEvent, Task> listener, bool prepend)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_handlersGate)
        {
            _anyHandlers = prepend ? [listener, .. _anyHandlers] : [.. _anyHandlers, listener];
        }
        return this;
    }

    /// <summary>
    /// Listens to every event sent to this client (Node's <c>socket.onAnyOutgoing</c>): its own emits and
    /// the broadcasts that reach it, with the name and the arguments as sent (with connection state recovery
    /// on, the offset is the last argument, as in Node). Acks are not events and are not seen. Runs on the
    /// sender's thread, before the packet is handed to the transport: keep it short.
    /// </summary>
    public SocketContext OnAnyOutgoing(Action<string, SocketArguments> listener) => AddAnyOutgoing(listener, prepend: false);

    /// <summary>As <see cref="OnAnyOutgoing"/>, first in the list (Node's <c>socket.prependAnyOutgoing</c>).</summary>
    public SocketContext PrependAnyOutgoing(Action<string, SocketArguments> listener) => AddAnyOutgoing(listener, prepend: true);

    /// <summary>Removes <paramref name="listener"/> (its first registration), or every outgoing listener when null.</summary>
    public SocketContext OffAnyOutgoing(Action<string, SocketArguments>? listener = null)
    {
        lock (_handlersGate)
        {
            _anyOutgoing = Without(_anyOutgoing ?? [], listener);
        }
        return this;
    }

    /// <summary>The outgoing listeners, in call order (a copy; Node's <c>listenersAnyOutgoing</c>).</summary>
    public IReadOnlyList<Action<string, SocketArguments>> ListenersAnyOutgoing() => [.. _anyOutgoing ?? []];

    private SocketContext AddAnyOutgoing(Action<string, SocketArguments> listener, bool prepend)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_handlersGate)
        {
            var current = _anyOutgoing ?? [];
            _anyOutgoing = prepend ? [listener, .. current] : [.. current, listener];
        }
        return this;
    }

    // The array without the first occurrence of listener (without all of them when it is null); null when empty.
    private static T[]? Without<T>(T[] listeners, T? listener) where T : Delegate
    {
        if (listener is null)
        {
            return null;
        }
        var index = Array.IndexOf(listeners, listener);
        T[] rest = index < 0 ? listeners : [.. listeners[..index], .. listeners[(index + 1)..]];
        return rest.Length == 0 ? null : rest;
    }

    /// <summary>
    /// Tells the outgoing listeners about an EVENT about to be delivered. Free when there are none; otherwise
    /// the packet is decoded once for them (its frames are all that is kept of it).
    /// </summary>
    private void NotifyOutgoing(OutgoingPacket packet)
    {
        var listeners = _anyOutgoing;
        if (listeners is null)
        {
            return;
        }
        var frames = packet.Frames;
        var text = frames[0].Frame.Span;
        // An Engine.IO message ('4') carrying a Socket.IO EVENT ('2') or BINARY_EVENT ('5'); acks and the rest are not events.
        if (text.Length < 2 || (text[1] != (byte)'2' && text[1] != (byte)'5')
            || SocketPacketCodec.Decode(text[1..], out var decoded, int.MaxValue) != SocketDecodeError.None
            || decoded!.Data is not { } data || data.GetArrayLength() == 0)
        {
            return;
        }
        for (var i = 1; i < frames.Count; i++)
        {
            decoded.Attachments.Add(frames[i].Frame);
        }
        var first = data[0];
        var name = first.ValueKind == System.Text.Json.JsonValueKind.String ? first.GetString()! : first.GetRawText();
        var args = new SocketArguments(decoded, offset: 1);
        foreach (var listener in listeners)
        {
            Namespace.Server.Invoke(() => listener(name, args), this);
        }
    }

    /// <summary>Hands a middleware's rejection to the error listeners (a copy of the list, as Node), or the log.</summary>
    internal void RaiseError(Exception error)
    {
        var listeners = _errorListeners;
        if (listeners.Length == 0)
        {
            Namespace.Server.Log.HandlerFailed(Id, error);
            return;
        }
        foreach (var listener in listeners)
        {
            Namespace.Server.Invoke(() => listener(error), this);
        }
    }
}
