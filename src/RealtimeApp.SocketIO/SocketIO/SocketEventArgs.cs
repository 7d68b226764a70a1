using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>One incoming event: its name, its arguments, its binary attachments and the ack, if asked for.</summary>
public sealed class SocketEventArgs
{
    private AsyncServiceScope? _scope;

    internal SocketEventArgs(SocketContext socket, SocketPacket packet, string name)
    {
        Socket = socket;
        Name = name;
        Ack = packet.AckId is { } id ? new SocketAck(socket, id) : null;
        Args = new SocketArguments(packet, offset: 1);
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

    /// <summary>The arguments after the event name.</summary>
    public SocketArguments Args { get; }

    /// <summary>Number of arguments after the event name.</summary>
    public int Count => Args.Count;

    /// <summary>Argument <paramref name="index"/> as received (a binary one is its placeholder object).</summary>
    public JsonElement this[int index] => Args[index];

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments => Args.Attachments;

    /// <summary>The bytes of a binary argument, or null when argument <paramref name="index"/> is not binary.</summary>
    public ReadOnlyMemory<byte>? GetBytes(int index) => Args.GetBytes(index);

    /// <summary>Every argument, ready to be emitted again unchanged (binary as bytes).</summary>
    public object?[] Arguments() => Args.ToArray();

    /// <summary>Argument <paramref name="index"/> deserialized as <typeparamref name="T"/> (camelCase JSON).</summary>
    /// <exception cref="JsonException">The argument is missing or does not fit <typeparamref name="T"/>.</exception>
    public T? Get<T>(int index = 0) => Args.Get<T>(index);
}
