using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.Diagnostics;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

// Acks the server asked for: ids come from the namespace's counter (Node: one counter per namespace);
// an ACK with an unknown id is ignored, as in Node.
public sealed partial class SocketContext
{
    // Created on the first ack the server waits for: most sockets never ask one. A callback gets the answer,
    // or null when the socket disconnected first.
    private ConcurrentDictionary<long, Action<SocketPacket?>>? _pendingAcks;

    private ConcurrentDictionary<long, Action<SocketPacket?>> PendingAcks =>
        Volatile.Read(ref _pendingAcks)
        ?? Interlocked.CompareExchange(ref _pendingAcks, new(), null)
        ?? _pendingAcks!;

    /// <summary>
    /// Sends <paramref name="eventName"/> and waits for the client's acknowledgement (Node's
    /// <c>socket.timeout(ms).emitWithAck</c>); resolves with the ack's arguments (binary ones included).
    /// </summary>
    /// <exception cref="SocketIOAckTimeoutException">"operation has timed out" when no ack came in time.</exception>
    /// <exception cref="SocketIODisconnectedException">The socket disconnected first (at once, not at the timeout).</exception>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public Task<SocketArguments> EmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        TryReserveAckId(eventName, out var id, out var refused)
            ? EmitWithAckAsync(eventName, id, OutgoingPacket.Event(Namespace.Name, eventName, args, id), timeout, true, cancellationToken)
            : refused;

    /// <summary>
    /// As <see cref="EmitWithAckAsync(string, object?[], TimeSpan?, CancellationToken)"/> with one argument written with
    /// <paramref name="typeInfo"/> (trim- and AOT-safe); read the answer with <c>result.Get(0, answerTypeInfo)</c>.
    /// </summary>
    /// <exception cref="SocketIOAckTimeoutException">"operation has timed out" when no ack came in time.</exception>
    /// <exception cref="SocketIODisconnectedException">The socket disconnected first (at once, not at the timeout).</exception>
    public Task<SocketArguments> EmitWithAckAsync<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        TryReserveAckId(eventName, out var id, out var refused)
            ? EmitWithAckAsync(eventName, id, OutgoingPacket.Event(Namespace.Name, eventName, arg, typeInfo, id), timeout, true, cancellationToken)
            : refused;

    // For SocketEmitter: its flags, the same path.
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    internal Task<SocketArguments> EmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout, bool compress,
        CancellationToken cancellationToken) =>
        TryReserveAckId(eventName, out var id, out var refused)
            ? EmitWithAckAsync(eventName, id, OutgoingPacket.Event(Namespace.Name, eventName, args, id), timeout, compress, cancellationToken)
            : refused;

    internal Task<SocketArguments> EmitWithAckAsync<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo, TimeSpan? timeout, bool compress,
        CancellationToken cancellationToken) =>
        TryReserveAckId(eventName, out var id, out var refused)
            ? EmitWithAckAsync(eventName, id, OutgoingPacket.Event(Namespace.Name, eventName, arg, typeInfo, id), timeout, compress, cancellationToken)
            : refused;

    // The ack id is part of the packet, so it is taken before the packet is encoded; a reserved name or the
    // pending-ack limit refuses first (costing no id, no encoding) and, as before, through the returned task.
    private bool TryReserveAckId(string eventName, out long id, out Task<SocketArguments> refused)
    {
        id = 0;
        refused = null!;
        try
        {
            ReservedEvents.Check(eventName);
            if (Namespace.Server.Options.MaxPendingAcksPerSocket is { } max && PendingAcks.Count >= max)
            {
                Namespace.Server.CountLimitHit();
                throw new SocketIOLimitExceededException(nameof(SocketIOOptions.MaxPendingAcksPerSocket), $"too many pending acks ({max})");
            }
        }
        catch (Exception ex)
        {
            refused = Task.FromException<SocketArguments>(ex);
            return false;
        }
        id = Namespace.NextAckId();
        return true;
    }

    private async Task<SocketArguments> EmitWithAckAsync(string eventName, long id, OutgoingPacket packet, TimeSpan? timeout,
        bool compress, CancellationToken cancellationToken)
    {
        using var activity = SocketIOTracing.IsEnabled ? SocketIOTracing.StartAckOut(Namespace.Name, eventName, Id) : null;
        var answer = new TaskCompletionSource<SocketArguments>(TaskCreationOptions.RunContinuationsAsynchronously);
        PendingAcks[id] = packet =>
        {
            if (packet is null)
            {
                answer.TrySetException(new SocketIODisconnectedException(_closeReason));
            }
            else
            {
                answer.TrySetResult(new SocketArguments(packet, offset: 0));
            }
        };
        if (!Connected)
        {
            // Left before the entry was in place: EndPendingAcks will not see it.
            PendingAcks.TryRemove(id, out _);
            throw new SocketIODisconnectedException(_closeReason);
        }
        try
        {
            Deliver(packet, volatileSend: false, compress);
            var result = await answer.Task.WaitAsync(timeout ?? Namespace.Server.Options.DefaultAckTimeout,
                Namespace.Server.Time, cancellationToken);
            SocketIOTracing.AckOutcome(activity, "answered");
            return result;
        }
        catch (TimeoutException)
        {
            var timedOut = new SocketIOAckTimeoutException();
            SocketIOTracing.AckOutcome(activity, "timeout", timedOut);
            throw timedOut;
        }
        catch (SocketIODisconnectedException disconnected)
        {
            SocketIOTracing.AckOutcome(activity, "disconnected", disconnected);
            throw;
        }
        catch (OperationCanceledException canceled)
        {
            SocketIOTracing.AckOutcome(activity, "canceled", canceled);
            throw;
        }
        finally
        {
            PendingAcks.TryRemove(id, out _);
        }
    }

    /// <summary>Waits for the ack with <paramref name="id"/> (used by broadcasts with acks).</summary>
    internal void ExpectAck(long id, Action<SocketPacket?> onAck) => PendingAcks[id] = onAck;

    private DisconnectReason _closeReason;

    /// <summary>Ends every ack still awaited once the socket has left: the answers can no longer come.</summary>
    private void EndPendingAcks(DisconnectReason reason)
    {
        _closeReason = reason;
        if (_pendingAcks is not { } pending)
        {
            return;
        }
        foreach (var id in pending.Keys)
        {
            if (pending.TryRemove(id, out var callback))
            {
                Namespace.Server.Invoke(() => callback(null), this);
            }
        }
    }

    internal void ForgetAck(long id) => _pendingAcks?.TryRemove(id, out _);

    /// <summary>Acks the server is waiting for from this client (for statistics).</summary>
    internal int PendingAckCount => _pendingAcks?.Count ?? 0;

    private void OnAck(SocketPacket packet)
    {
        if (packet.AckId is { } id && _pendingAcks is { } pending && pending.TryRemove(id, out var callback))
        {
            callback(packet);
        }
    }
}
