using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.SocketIO;

/// <summary>One incoming event: its name, its arguments, its binary attachments and the ack, if asked for.</summary>
public sealed class SocketEventArgs
{
    private readonly SocketPacket _packet;
    private AsyncServiceScope? _scope;

    internal SocketEventArgs(SocketContext socket, SocketPacket packet, string name)
    {
        Socket = socket;
        _packet = packet;
        Name = name;
        Ack = packet.AckId is { } id ? new SocketAck(socket, id) : null;
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

    /// <summary>Number of arguments after the event name.</summary>
    public int Count => _packet.Data!.Value.GetArrayLength() - 1;

    /// <summary>
    /// Argument <paramref name="index"/> as received. Binary arguments are placeholder objects here;
    /// use <see cref="GetBytes"/> or <see cref="Arguments"/> to get the bytes.
    /// </summary>
    public JsonElement this[int index] => _packet.Data!.Value[index + 1];

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments => _packet.Attachments;

    /// <summary>The bytes of a binary argument, or null when argument <paramref name="index"/> is not binary.</summary>
    public ReadOnlyMemory<byte>? GetBytes(int index) =>
        BinaryPlaceholders.TryGetIndex(this[index], out var num) && num >= 0 && num < Attachments.Count ? Attachments[num] : null;

    /// <summary>
    /// Every argument, ready to be emitted again unchanged: JSON as received, binary as bytes (so an echo
    /// carries the same attachments).
    /// </summary>
    public object?[] Arguments()
    {
        var result = new object?[Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Attachments.Count == 0 ? this[i] : SocketPayload.Rehydrate(this[i], Attachments) is JsonValue v
                && v.TryGetValue(out byte[]? bytes) ? bytes : SocketPayload.Rehydrate(this[i], Attachments);
        }
        return result;
    }

    /// <summary>Argument <paramref name="index"/> deserialized as <typeparamref name="T"/> (camelCase JSON).</summary>
    /// <exception cref="JsonException">The argument does not fit <typeparamref name="T"/>.</exception>
    public T? Get<T>(int index = 0) => index < Count
        ? this[index].Deserialize<T>(SocketPayload.DefaultOptions)
        : throw new JsonException($"event '{Name}' has no argument {index}");
}
