using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// One incoming event: its name, its <see cref="Arguments"/> and the ack, if the client asked for one. Not an
/// <see cref="EventArgs"/>: it is a message from a client, read through <see cref="Arguments"/> only.
/// </summary>
public sealed class SocketEvent
{
    private AsyncServiceScope? _scope;

    internal SocketEvent(SocketContext socket, SocketPacket packet, string name)
    {
        Socket = socket;
        Name = name;
        Ack = packet.AckId is { } id ? new SocketAck(socket, id) : null;
        _arguments = new SocketArguments(packet, offset: 1);
    }

    /// <summary>The socket the event came from.</summary>
    public SocketContext Socket { get; }

    /// <summary>
    /// Services for this event: a DI scope created on first use and disposed once the event's handlers
    /// have finished (as SignalR gives each hub invocation its own scope).
    /// </summary>
    public IServiceProvider Services => (_scope ??= Socket.Namespace.Server.CreateScope()).ServiceProvider;

    internal ValueTask DisposeScopeAsync() => _scope?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The ack to answer with, when the client asked for one.</summary>
    public SocketAck? Ack { get; }

    /// <summary>
    /// The arguments after the event name: <c>Count</c>, the JSON of each (<c>[i]</c>), <c>Get&lt;T&gt;(i, typeInfo)</c>,
    /// <c>GetBytes(i)</c> for binary ones (<c>GetBytes(element)</c> for binary nested in an object), <c>ToArray()</c>; pass them to <c>Emit</c> or <c>Ack.Send</c> to forward them as sent.
    /// </summary>
    /// <remarks>
    /// A <see cref="SocketContext.Use"/> middleware may replace them (e.g. with <see cref="SocketArguments.FromJson"/>):
    /// later middlewares and the event's listeners see the new ones; the <c>OnAny</c> listeners ran before.
    /// </remarks>
    public SocketArguments Arguments
    {
        get => _arguments;
        set => _arguments = value ?? throw new ArgumentNullException(nameof(value));
    }

    private SocketArguments _arguments;
}
