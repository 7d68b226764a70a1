using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

// Incoming events (Node's onevent): catch-all listeners run first, then the middlewares (Use), then the listeners
// of the event's name.
public sealed partial class SocketContext
{
    /// <summary>Listens to <paramref name="eventName"/> (Node's <c>socket.on</c>); <see cref="Off"/> removes it.</summary>
    public SocketContext On(string eventName, Func<SocketEvent, Task> handler) => AddListener(eventName, handler);

    /// <summary>Listens to <paramref name="eventName"/> with a synchronous handler.</summary>
    public SocketContext On(string eventName, Action<SocketEvent> handler) => AddListener(eventName, handler);

    /// <summary>
    /// Listens to <paramref name="eventName"/>, binding its first argument to <typeparamref name="T"/> with
    /// <paramref name="typeInfo"/> (from the app's <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>:
    /// trim- and NativeAOT-safe). When it does not bind (or is null), the handler is not called and the event goes to
    /// <see cref="SocketIOOptions.OnRefusal"/> (code <c>invalid_payload</c>), which may answer the ack.
    /// </summary>
    public SocketContext On<T>(string eventName, JsonTypeInfo<T> typeInfo, Func<T, SocketAck?, Task> handler) =>
        OnBound(eventName, typeInfo, handler, (data, e) => handler(data, e.Ack));

    /// <summary>
    /// As <see cref="On{T}(string, JsonTypeInfo{T}, Func{T, SocketAck, Task})"/>, with <typeparamref name="TService"/>
    /// resolved from the event's own DI scope (disposed when the handler finishes).
    /// </summary>
    public SocketContext On<T, TService>(string eventName, JsonTypeInfo<T> typeInfo, Func<T, TService, SocketAck?, Task> handler)
        where TService : notnull =>
        OnBound(eventName, typeInfo, handler, (data, e) => handler(data, e.Services.GetRequiredService<TService>(), e.Ack));

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

    private SocketContext OnBound<T>(string eventName, JsonTypeInfo<T> typeInfo, Delegate registered, Func<T, SocketEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(handler);
        return AddListener(eventName, registered, e =>
        {
            T? data;
            try
            {
                data = e.Arguments.Get(0, typeInfo);
            }
            catch (JsonException ex)
            {
                Namespace.Server.Refuse(this, e.Name, e.Ack, SocketRefusalCodes.InvalidPayload, ex.Message, ex);
                return Task.CompletedTask;
            }
            if (data is null)
            {
                Namespace.Server.Refuse(this, e.Name, e.Ack, SocketRefusalCodes.InvalidPayload, "payload is null", null);
                return Task.CompletedTask;
            }
            return handler(data, e);
        });
    }

    private TokenBucket _eventBudget; // full at creation (SocketContext's constructor); used only with EventRateLimit

    internal void OnEvent(SocketPacket packet)
    {
        var server = Namespace.Server;
        if (!server.TryBeginWork())
        {
            // Nothing new starts once the drain has begun; the app's refusal hook may tell the client.
            RefuseUnread(packet, SocketRefusalCodes.ShuttingDown, "server shutting down");
            return;
        }
        if (server.Options.EventRateLimit is { } limit && !_eventBudget.TryTake(limit, server.Time))
        {
            server.EndWork();
            server.CountRateLimited();
            RefuseUnread(packet, SocketRefusalCodes.RateLimited, "rate limited");
            return;
        }
        SocketEvent args;
        try
        {
            args = new SocketEvent(this, packet, EventName(packet));
        }
        catch
        {
            server.EndWork(); // counted above; a leak would hold every later drain for its whole timeout
            throw;
        }
        server.Dispatch(args, _anyHandlers, _middlewares);
    }

    private static string EventName(SocketPacket packet)
    {
        var first = packet.Data!.Value[0];
        return first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
    }

    // An event refused before it was read (shutdown, rate limit): no listener sees it; the refusal hook may answer.
    // Free without a hook: a flood past the rate limit costs no parsing and no allocation.
    private void RefuseUnread(SocketPacket packet, string code, string message)
    {
        if (Namespace.Server.Options.OnRefusal is not null)
        {
            Namespace.Server.Refuse(this, EventName(packet), packet.AckId is { } id ? new SocketAck(this, id) : null, code, message, null);
        }
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
