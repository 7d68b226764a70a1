using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

// Events to this client. The typed overloads take the argument's JsonTypeInfo<T> (from a JsonSerializerContext,
// as JsonSerializer's own AOT-safe overloads do); the params object?[] one serializes runtime types and is
// annotated, so a trimmed or NativeAOT app is warned where it uses it.
public sealed partial class SocketContext
{
    /// <summary>Sends event <paramref name="eventName"/>, with no arguments, to this client.</summary>
    /// <exception cref="ArgumentException">A reserved event name (connect, disconnect, …).</exception>
    public void Emit(string eventName) => Emit(eventName, new NoArguments());

    /// <summary>Sends event <paramref name="eventName"/> with <paramref name="arg"/>, written with <paramref name="typeInfo"/>.</summary>
    /// <exception cref="ArgumentException">A reserved event name (connect, disconnect, …).</exception>
    public void Emit<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo) =>
        Emit(eventName, new TypedArgument<T>(arg, typeInfo));

    /// <summary>Sends event <paramref name="eventName"/> with arguments as a client sent them (binary included), unchanged.</summary>
    /// <exception cref="ArgumentException">A reserved event name (connect, disconnect, …).</exception>
    public void Emit(string eventName, SocketArguments args) => Emit(eventName, new ReceivedArguments(args));

    /// <summary>Sends event <paramref name="eventName"/> to this client, each argument serialized as its runtime type.</summary>
    /// <exception cref="ArgumentException">A reserved event name (connect, disconnect, …).</exception>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public void Emit(string eventName, params object?[] args) =>
        Emit(eventName, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)));

    /// <summary>
    /// Emits through an operator with a timeout for <c>EmitWithAckAsync</c> (Node's <c>socket.timeout(ms)</c>).
    /// </summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(this, timeout, compress: true);

    /// <summary>
    /// Emits through an operator that, with false, sends uncompressed over a WebSocket that negotiated
    /// permessage-deflate (Node's <c>socket.compress(false)</c>); polling responses follow <c>HttpCompression</c>.
    /// </summary>
    public SocketEmitter Compress(bool compress) => new(this, null, compress);

    private void Emit<TArgs>(string eventName, scoped TArgs args) where TArgs : IPayloadArguments, allows ref struct =>
        Emit(eventName, args, compress: true);

    internal void Emit<TArgs>(string eventName, scoped TArgs args, bool compress) where TArgs : IPayloadArguments, allows ref struct
    {
        ReservedEvents.Check(eventName);
        if (Namespace.StoresPackets)
        {
            // Through the adapter to the socket's own room, so it is stored and reaches the client even if it
            // is between connections right now (Node does the same with recovery on).
            Namespace.Adapter.Broadcast(Namespace.EventPacket(eventName, args, volatileSend: false), new() { Rooms = new HashSet<string> { Id }, Compress = compress });
            return;
        }
        Deliver(OutgoingPacket.Event(Namespace.Name, eventName, args), volatileSend: false, compress);
    }
}
