using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// Emits to one socket with flags (Node's <c>socket.timeout(ms)</c> and <c>socket.compress(bool)</c>, which set
/// flags for the next emit): made by <see cref="SocketContext.Timeout"/> and <see cref="SocketContext.Compress"/>.
/// Immutable: each flag method returns a new one, so one can be kept and reused.
/// </summary>
public sealed class SocketEmitter
{
    private readonly SocketContext _socket;
    private readonly TimeSpan? _timeout;
    private readonly bool _compress;

    internal SocketEmitter(SocketContext socket, TimeSpan? timeout, bool compress)
    {
        _socket = socket;
        _timeout = timeout;
        _compress = compress;
    }

    /// <summary>The timeout of <c>EmitWithAckAsync</c> (default: <see cref="SocketIOOptions.DefaultAckTimeout"/>).</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(_socket, timeout, _compress);

    /// <summary>False: sent uncompressed over a WebSocket that negotiated permessage-deflate.</summary>
    public SocketEmitter Compress(bool compress) => new(_socket, _timeout, compress);

    /// <summary>As <see cref="SocketContext.Emit(string)"/>.</summary>
    public void Emit(string eventName) => _socket.Emit(eventName, new NoArguments(), _compress);

    /// <summary>As <see cref="SocketContext.Emit{T}(string, T, JsonTypeInfo{T})"/>.</summary>
    public void Emit<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo) =>
        _socket.Emit(eventName, new TypedArgument<T>(arg, typeInfo), _compress);

    /// <summary>As <see cref="SocketContext.Emit(string, SocketArguments)"/>.</summary>
    public void Emit(string eventName, SocketArguments args) => _socket.Emit(eventName, new ReceivedArguments(args), _compress);

    /// <summary>As <see cref="SocketContext.Emit(string, object[])"/>.</summary>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public void Emit(string eventName, params object?[] args) =>
        _socket.Emit(eventName, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)), _compress);

    /// <summary>As <see cref="SocketContext.EmitWithAckAsync(string, object[], TimeSpan?, CancellationToken)"/>, with this timeout.</summary>
    /// <exception cref="SocketIOAckTimeoutException">"operation has timed out" when no ack came in time.</exception>
    /// <exception cref="SocketIODisconnectedException">The socket disconnected first.</exception>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public Task<SocketArguments> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        _socket.EmitWithAckAsync(eventName, args, _timeout, _compress, cancellationToken);

    /// <summary>As <see cref="SocketContext.EmitWithAckAsync{T}(string, T, JsonTypeInfo{T}, TimeSpan?, CancellationToken)"/>, with this timeout.</summary>
    /// <exception cref="SocketIOAckTimeoutException">"operation has timed out" when no ack came in time.</exception>
    /// <exception cref="SocketIODisconnectedException">The socket disconnected first.</exception>
    public Task<SocketArguments> EmitWithAckAsync<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        _socket.EmitWithAckAsync(eventName, arg, typeInfo, _timeout, _compress, cancellationToken);
}
