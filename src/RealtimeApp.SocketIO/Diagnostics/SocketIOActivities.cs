namespace RealtimeApp.SocketIO.Diagnostics;

/// <summary>
/// The library's traces: one <see cref="System.Diagnostics.ActivitySource"/> named <see cref="SourceName"/>
/// (add it to a tracer, e.g. OpenTelemetry's <c>AddSource(SocketIOActivities.SourceName)</c>), the activities it
/// starts and their tags, all in this one place. Nothing is created, tagged or allocated unless a listener
/// is attached to the source.
/// </summary>
/// <remarks>
/// <para>Like SignalR's hub invocations (<c>Microsoft.AspNetCore.SignalR.Server</c>), an event handler's and a
/// namespace join's activities have no parent: they arrive long after the HTTP request that opened the
/// connection (a WebSocket request lasts as long as the connection), so a parent would make one trace of a
/// whole session. They carry a link to the HTTP request that carried the packet instead. The other
/// activities nest under whatever is current: the handshake request, or the handler that emits.</para>
/// <para>Tags follow the OpenTelemetry conventions where one exists (<c>error.type</c>, <c>client.address</c>);
/// the rest are named <c>socketio.*</c> / <c>engineio.*</c>, as SignalR names its own <c>signalr.*</c>.</para>
/// </remarks>
public static class SocketIOActivities
{
    /// <summary>The activity source's name, <c>RealtimeApp.SocketIO</c> (the same name as the library's meter).</summary>
    public const string SourceName = "RealtimeApp.SocketIO";

    /// <summary>
    /// An Engine.IO session opened and the Socket.IO connection on it created (display name
    /// <c>open polling</c> / <c>open websocket</c>); a child of the handshake's HTTP request. Tags:
    /// <see cref="Tags.SessionId"/>, <see cref="Tags.Transport"/>, <see cref="Tags.Protocol"/>, <see cref="Tags.ClientAddress"/>.
    /// </summary>
    public const string ConnectionOpen = "RealtimeApp.SocketIO.ConnectionOpen";

    /// <summary>
    /// A CONNECT to a namespace, its middlewares and connection listeners included (display name
    /// <c>connect {namespace}</c>); no parent, a link to the HTTP request that carried it. Tags:
    /// <see cref="Tags.Namespace"/>, <see cref="Tags.SessionId"/>, <see cref="Tags.SocketId"/> (once one was made),
    /// <see cref="Tags.ConnectResult"/>, <see cref="Tags.ConnectRefusal"/> when refused.
    /// </summary>
    public const string NamespaceConnect = "RealtimeApp.SocketIO.NamespaceConnect";

    /// <summary>
    /// An event from a client, from its arrival until every handler has finished, async ones included (display
    /// name <c>event {namespace} {event}</c>); no parent, a link to the HTTP request that carried it. Tags:
    /// <see cref="Tags.Namespace"/>, <see cref="Tags.Event"/>, <see cref="Tags.SocketId"/>,
    /// <see cref="Tags.AckRequested"/>. A handler that throws: status Error, an <c>exception</c> event, <see cref="Tags.ErrorType"/>.
    /// </summary>
    public const string EventIn = "RealtimeApp.SocketIO.EventIn";

    /// <summary>
    /// <c>socket.EmitWithAckAsync</c>: from the send until the client's answer, the timeout or the
    /// cancellation (display name <c>emitWithAck {namespace} {event}</c>). Tags: <see cref="Tags.Namespace"/>,
    /// <see cref="Tags.Event"/>, <see cref="Tags.SocketId"/>, <see cref="Tags.AckOutcome"/>; status Error unless answered.
    /// </summary>
    public const string AckOut = "RealtimeApp.SocketIO.AckOut";

    /// <summary>
    /// A broadcast (<c>Emit</c> or <c>EmitWithAckAsync</c> on a namespace, room or <c>socket.Broadcast</c>; display
    /// name <c>broadcast {namespace} {event}</c>). Tags: <see cref="Tags.Namespace"/>, <see cref="Tags.Event"/>,
    /// <see cref="Tags.Rooms"/> and <see cref="Tags.ExceptRooms"/> when set, <see cref="Tags.Recipients"/>; with acks
    /// also <see cref="Tags.AckOutcome"/>.
    /// </summary>
    public const string Broadcast = "RealtimeApp.SocketIO.Broadcast";

    /// <summary>The tag names of the library's activities.</summary>
    public static class Tags
    {
        /// <summary>The namespace, e.g. <c>/item</c> (string).</summary>
        public const string Namespace = "socketio.namespace";

        /// <summary>The event name (string).</summary>
        public const string Event = "socketio.event";

        /// <summary>The socket id (string; the id clients see, not the engine session id).</summary>
        public const string SocketId = "socketio.socket.id";

        /// <summary>Whether the client asked for an ack with its event (bool).</summary>
        public const string AckRequested = "socketio.ack.requested";

        /// <summary>How a server-sent ack ended: <c>answered</c>, <c>timeout</c> or <c>canceled</c> (string).</summary>
        public const string AckOutcome = "socketio.ack.outcome";

        /// <summary>A namespace join's result: <c>accepted</c> or <c>refused</c> (string).</summary>
        public const string ConnectResult = "socketio.connect.result";

        /// <summary>
        /// Why a join was refused, as the client's <c>connect_error</c> says: the middleware's message,
        /// <c>Invalid namespace</c>, <c>namespace limit reached</c>, <c>server shutting down</c> (string).
        /// </summary>
        public const string ConnectRefusal = "socketio.connect.refusal";

        /// <summary>The rooms a broadcast targets (string[]; absent for the whole namespace).</summary>
        public const string Rooms = "socketio.rooms";

        /// <summary>The rooms a broadcast excludes (string[]; <c>socket.Broadcast</c> excludes the sender's id).</summary>
        public const string ExceptRooms = "socketio.except";

        /// <summary>Sockets of this node a broadcast was handed to (int; other nodes count their own).</summary>
        public const string Recipients = "socketio.recipients";

        /// <summary>The Engine.IO session id, <c>sid</c> (string; a session secret: it stays in the operator's traces).</summary>
        public const string SessionId = "engineio.session.id";

        /// <summary>The transport the session opened with: <c>polling</c> or <c>websocket</c> (string).</summary>
        public const string Transport = "engineio.transport";

        /// <summary>The Engine.IO protocol revision, 4 (or 3 for v2 clients) (int).</summary>
        public const string Protocol = "engineio.protocol";

        /// <summary>The client's IP address (OpenTelemetry <c>client.address</c>; string).</summary>
        public const string ClientAddress = "client.address";

        /// <summary>The exception's full type name on a failed activity (OpenTelemetry <c>error.type</c>; string).</summary>
        public const string ErrorType = "error.type";
    }
}
