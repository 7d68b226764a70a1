using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

// Incoming events: catch-all listeners run first, then the listeners of the event's name (Node's order).
public sealed partial class SocketContext
{
    private readonly Lock _handlersGate = new();
    private Dictionary<string, Func<SocketEvent, Task>[]> _handlers = new(StringComparer.Ordinal);
    private Func<SocketEvent, Task>[] _anyHandlers = [];

    /// <summary>Listens to <paramref name="eventName"/>.</summary>
    public SocketContext On(string eventName, Func<SocketEvent, Task> handler)
    {
        lock (_handlersGate)
        {
            var copy = new Dictionary<string, Func<SocketEvent, Task>[]>(_handlers, StringComparer.Ordinal);
            copy[eventName] = copy.TryGetValue(eventName, out var existing) ? [.. existing, handler] : [handler];
            _handlers = copy;
        }
        return this;
    }

    /// <summary>Listens to <paramref name="eventName"/> with a synchronous handler.</summary>
    public SocketContext On(string eventName, Action<SocketEvent> handler) =>
        On(eventName, e => { handler(e); return Task.CompletedTask; });

    /// <summary>
    /// Listens to <paramref name="eventName"/>, binding its first argument to <typeparamref name="T"/> with
    /// <paramref name="typeInfo"/> (from the app's <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>:
    /// trim- and NativeAOT-safe). When it does not bind, the handler is not called and, if the client asked for an
    /// ack, it is answered <c>{"ok":false,"error":{"code":"invalid_payload","message":…}}</c>.
    /// </summary>
    public SocketContext On<T>(string eventName, JsonTypeInfo<T> typeInfo, Func<T, SocketAck?, Task> handler) =>
        OnBound(eventName, typeInfo, (data, e) => handler(data, e.Ack));

    /// <summary>
    /// As <see cref="On{T}(string, JsonTypeInfo{T}, Func{T, SocketAck, Task})"/>, with <typeparamref name="TService"/>
    /// resolved from the event's own DI scope (disposed when the handler finishes).
    /// </summary>
    public SocketContext On<T, TService>(string eventName, JsonTypeInfo<T> typeInfo, Func<T, TService, SocketAck?, Task> handler)
        where TService : notnull =>
        OnBound(eventName, typeInfo, (data, e) => handler(data, e.Services.GetRequiredService<TService>(), e.Ack));

    /// <summary>
    /// As <see cref="On{T}(string, JsonTypeInfo{T}, Func{T, SocketAck, Task})"/>, binding <typeparamref name="T"/>
    /// by reflection (camelCase JSON). In trimmed or NativeAOT apps pass a <c>JsonTypeInfo&lt;T&gt;</c>.
    /// </summary>
    [RequiresUnreferencedCode(SocketArguments.ReflectionMessage)]
    [RequiresDynamicCode(SocketArguments.ReflectionMessage)]
    public SocketContext On<T>(string eventName, Func<T, SocketAck?, Task> handler) =>
        On(eventName, ReflectedTypeInfo<T>(), handler);

    /// <summary>
    /// As <see cref="On{T, TService}(string, JsonTypeInfo{T}, Func{T, TService, SocketAck, Task})"/>, binding
    /// <typeparamref name="T"/> by reflection. In trimmed or NativeAOT apps pass a <c>JsonTypeInfo&lt;T&gt;</c>.
    /// </summary>
    [RequiresUnreferencedCode(SocketArguments.ReflectionMessage)]
    [RequiresDynamicCode(SocketArguments.ReflectionMessage)]
    public SocketContext On<T, TService>(string eventName, Func<T, TService, SocketAck?, Task> handler)
        where TService : notnull =>
        On(eventName, ReflectedTypeInfo<T>(), handler);

    [RequiresUnreferencedCode(SocketArguments.ReflectionMessage)]
    [RequiresDynamicCode(SocketArguments.ReflectionMessage)]
    private static JsonTypeInfo<T> ReflectedTypeInfo<T>() =>
        (JsonTypeInfo<T>)SocketPayload.DefaultOptions.GetTypeInfo(typeof(T));

    private SocketContext OnBound<T>(string eventName, JsonTypeInfo<T> typeInfo, Func<T, SocketEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return On(eventName, e =>
        {
            T? data;
            try
            {
                data = e.Arguments.Get(0, typeInfo);
            }
            catch (JsonException ex)
            {
                e.Ack?.SendError("invalid_payload", ex.Message);
                return Task.CompletedTask;
            }
            if (data is null)
            {
                e.Ack?.SendError("invalid_payload", "payload is null");
                return Task.CompletedTask;
            }
            return handler(data, e);
        });
    }

    // An event that will not reach any handler: dropped, and its ack (if asked) carries the reason in the
    // same shape as the typed handlers' invalid_payload answers.
    private void Refuse(SocketPacket packet, string code, string message)
    {
        if (packet.AckId is { } id)
        {
            Deliver(OutgoingPacket.Ack(Namespace.Name, id,
                new TypedArgument<AckError>(new AckError(new AckErrorDetail(code, message)), SocketIOJsonContext.Payload.AckError)),
                volatileSend: false);
        }
    }

    /// <summary>Listens to every event (Node's <c>socket.onAny</c>), before the named listeners.</summary>
    public SocketContext OnAny(Func<SocketEvent, Task> handler)
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
        SocketEvent args;
        Func<SocketEvent, Task>[]? named;
        try
        {
            var first = packet.Data!.Value[0];
            var name = first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
            args = new SocketEvent(this, packet, name);
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
