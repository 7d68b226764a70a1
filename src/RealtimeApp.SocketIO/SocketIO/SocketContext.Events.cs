using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

// Incoming events: catch-all listeners run first, then the listeners of the event's name (Node's order).
public sealed partial class SocketContext
{
    private readonly Lock _handlersGate = new();
    private Dictionary<string, Func<SocketEventArgs, Task>[]> _handlers = new(StringComparer.Ordinal);
    private Func<SocketEventArgs, Task>[] _anyHandlers = [];

    /// <summary>Listens to <paramref name="eventName"/>.</summary>
    public SocketContext On(string eventName, Func<SocketEventArgs, Task> handler)
    {
        lock (_handlersGate)
        {
            var copy = new Dictionary<string, Func<SocketEventArgs, Task>[]>(_handlers, StringComparer.Ordinal);
            copy[eventName] = copy.TryGetValue(eventName, out var existing) ? [.. existing, handler] : [handler];
            _handlers = copy;
        }
        return this;
    }

    /// <summary>Listens to <paramref name="eventName"/> with a synchronous handler.</summary>
    public SocketContext On(string eventName, Action<SocketEventArgs> handler) =>
        On(eventName, e => { handler(e); return Task.CompletedTask; });

    /// <summary>
    /// Listens to <paramref name="eventName"/>, binding its first argument to <typeparamref name="T"/>
    /// (camelCase JSON). When it does not bind, the handler is not called and, if the client asked for an
    /// ack, it is answered <c>{"ok":false,"error":{"code":"invalid_payload","message":…}}</c>.
    /// </summary>
    public SocketContext On<T>(string eventName, Func<T, SocketAck?, Task> handler) =>
        On<T>(eventName, (data, e) => handler(data, e.Ack));

    /// <summary>
    /// As <see cref="On{T}(string, Func{T, SocketAck, Task})"/>, with <typeparamref name="TService"/> resolved
    /// from the event's own DI scope (disposed when the handler finishes).
    /// </summary>
    public SocketContext On<T, TService>(string eventName, Func<T, TService, SocketAck?, Task> handler)
        where TService : notnull =>
        On<T>(eventName, (data, e) => handler(data, e.Services.GetRequiredService<TService>(), e.Ack));

    private SocketContext On<T>(string eventName, Func<T, SocketEventArgs, Task> handler) => On(eventName, e =>
    {
        T? data;
        try
        {
            data = e.Get<T>(0);
        }
        catch (JsonException ex)
        {
            e.Ack?.Send(new { ok = false, error = new { code = "invalid_payload", message = ex.Message } });
            return Task.CompletedTask;
        }
        if (data is null)
        {
            e.Ack?.Send(new { ok = false, error = new { code = "invalid_payload", message = "payload is null" } });
            return Task.CompletedTask;
        }
        return handler(data, e);
    });

    // An event that will not reach any handler: dropped, and its ack (if asked) carries the reason in the
    // same shape as the typed handlers' invalid_payload answers.
    private void Refuse(SocketPacket packet, string code, string message)
    {
        if (packet.AckId is { } id)
        {
            Deliver(OutgoingPacket.Ack(Namespace.Name, id, [new { ok = false, error = new { code, message } }]), volatileSend: false);
        }
    }

    /// <summary>Listens to every event (Node's <c>socket.onAny</c>), before the named listeners.</summary>
    public SocketContext OnAny(Func<SocketEventArgs, Task> handler)
    {
        lock (_handlersGate)
        {
            _anyHandlers = [.. _anyHandlers, handler];
        }
        return this;
    }

    private TokenBucket _eventBudget; // full at creation (SocketContext's constructor); used only with EventRateLimit

    internal void OnEvent(SocketPacket packet)
    {
        var server = Namespace.Server;
        if (!server.TryBeginWork())
        {
            // Nothing new starts once the drain has begun: the client is told, nothing is half-done.
            Refuse(packet, "shutting_down", "server shutting down");
            return;
        }
        if (server.Options.EventRateLimit is { } limit && !_eventBudget.TryTake(limit, server.Time))
        {
            server.EndWork();
            server.CountRateLimited();
            Refuse(packet, "rate_limited", "rate limited");
            return;
        }
        SocketEventArgs args;
        Func<SocketEventArgs, Task>[]? named;
        try
        {
            var first = packet.Data!.Value[0];
            var name = first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
            args = new SocketEventArgs(this, packet, name);
            _handlers.TryGetValue(name, out named);
        }
        catch
        {
            server.EndWork(); // counted above; a leak would hold every later drain for its whole timeout
            throw;
        }
        server.Dispatch(args, _anyHandlers, named ?? []);
    }

    internal void OnPacket(SocketPacket packet)
    {
        switch (packet.Type)
        {
            case SocketPacketType.Event or SocketPacketType.BinaryEvent:
                OnEvent(packet);
                break;
            case SocketPacketType.Ack or SocketPacketType.BinaryAck:
                OnAck(packet);
                break;
            case SocketPacketType.Disconnect:
                OnClose(DisconnectReason.ClientNamespaceDisconnect);
                break;
        }
    }
}
