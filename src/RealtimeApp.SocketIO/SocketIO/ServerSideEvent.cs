using System.Text.Json;

namespace RealtimeApp.SocketIO;

/// <summary>
/// An event another server of the cluster sent with <c>ServerSideEmit</c> (Node's <c>serverSideEmit</c>):
/// its arguments, and — when the sender waits for answers — <see cref="Ack"/> to answer it once.
/// </summary>
public sealed class ServerSideEvent
{
    private readonly Action<object?>? _ack;
    private int _acked;

    internal ServerSideEvent(string name, JsonElement arguments, Action<object?>? ack)
    {
        Name = name;
        Arguments = arguments;
        _ack = ack;
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The arguments after the name, as a JSON array.</summary>
    public JsonElement Arguments { get; }

    /// <summary>Whether the sending server waits for an answer.</summary>
    public bool WantsAck => _ack is not null;

    /// <summary>Answers the sending server (once; later calls are ignored, as in Node).</summary>
    public void Ack(object? value)
    {
        if (_ack is not null && Interlocked.Exchange(ref _acked, 1) == 0)
        {
            _ack(value);
        }
    }
}
