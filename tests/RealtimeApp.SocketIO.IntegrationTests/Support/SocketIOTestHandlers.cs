using System.Text.Json;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// What every namespace of <see cref="SocketIOTestServer"/> does. Like the conformance host: on connection
/// emit "auth" with the handshake auth; "message" → "message-back" with the same arguments (binary
/// included); "message-with-ack" → ack with the same arguments. Plus:
/// <list type="bullet">
/// <item>"join" (room) / "leave" (room) → join/leave, then ack;</item>
/// <item>"to-room" (room, payload) → <c>socket.To(room).Emit("room-message", payload)</c>, then ack;</item>
/// <item>"broadcast" (payload) → <c>socket.Broadcast.Emit("broadcast-message", payload)</c>, then ack;</item>
/// <item>"everyone-except" (room, payload) → <c>ns.Except(room).Emit("except-message", payload)</c>, then ack;</item>
/// <item>"mark" (n) → <c>ns.Emit("marker", n)</c>: once a client got marker n it got everything sent before;</item>
/// <item>"ask-me" → <c>socket.EmitWithAckAsync("question", ["q"])</c>, then "answer" with the reply's arguments;</item>
/// <item>"transport" → ack with the server's view of the transport ("polling"/"websocket");</item>
/// <item>"rooms" → ack with the socket's rooms, sorted;</item>
/// <item>"disconnect-me" ([close]) → <c>socket.Disconnect(close)</c>.</item>
/// </list>
/// </summary>
internal static class SocketIOTestHandlers
{
    public static void Configure(SocketNamespace ns, Action<SocketContext> record)
    {
        ns.OnConnection(socket =>
        {
            record(socket);
            socket.Emit("auth", socket.Handshake.Auth);
            socket.On("message", e => socket.Emit("message-back", e.Arguments.ToArray()));
            socket.On("message-with-ack", e => e.Ack?.Send(e.Arguments.ToArray()));
            socket.On("join", e =>
            {
                socket.Join(e.Arguments[0].GetString()!);
                e.Ack?.Send();
            });
            socket.On("leave", e =>
            {
                socket.Leave(e.Arguments[0].GetString()!);
                e.Ack?.Send();
            });
            socket.On("to-room", e =>
            {
                var reached = socket.To(e.Arguments[0].GetString()!).Emit("room-message", e.Arguments.ToArray()[1]);
                e.Ack?.Send(reached);
            });
            socket.On("broadcast", e =>
            {
                var reached = socket.Broadcast.Emit("broadcast-message", e.Arguments.ToArray()[0]);
                e.Ack?.Send(reached);
            });
            socket.On("everyone-except", e =>
            {
                var reached = ns.Except(e.Arguments[0].GetString()!).Emit("except-message", e.Arguments[1]);
                e.Ack?.Send(reached);
            });
            socket.On("mark", e =>
            {
                ns.Emit("marker", e.Arguments[0]);
                e.Ack?.Send();
            });
            socket.On("ask-me", async _ =>
            {
                var reply = await socket.EmitWithAckAsync("question", ["q"], TimeSpan.FromSeconds(10));
                socket.Emit("answer", reply.ToArray());
            });
            socket.On("transport", e => e.Ack?.Send(socket.Transport.ToString().ToLowerInvariant()));
            socket.On("rooms", e => e.Ack?.Send((object)socket.Rooms.Order(StringComparer.Ordinal).ToArray()));
            socket.On("disconnect-me", e => socket.Disconnect(close: e.Arguments.Count > 0 && e.Arguments[0].ValueKind == JsonValueKind.True));
        });
    }
}
