namespace RealtimeApp.SocketIO;

// Signed-in users: each socket of a user is in that user's room ("user:" + id), so code reaches every tab of
// one user on every node without building the room name itself.
public sealed partial class SocketNamespace
{
    /// <summary>
    /// Targets every socket of the signed-in user <paramref name="userId"/> (<see cref="SocketContext.UserId"/>),
    /// all tabs, all nodes: SignalR's <c>Clients.User</c>. E.g. <c>ns.ToUser(id).DisconnectSockets()</c> at sign-out.
    /// </summary>
    public BroadcastOperator ToUser(string userId) => To(SocketIOServer.UserRoom(userId));

    // A recovered socket's rooms are the lost one's; its user room must be the user of this connection (who
    // may have signed out, or in as someone else, meanwhile), never the one the old session had.
    private void ReplaceUserRoom(SocketContext socket)
    {
        var own = socket.UserId is { } user ? SocketIOServer.UserRoom(user) : null;
        foreach (var room in socket.Rooms.ToArray())
        {
            if (room.StartsWith(SocketIOServer.UserRoomPrefix, StringComparison.Ordinal) && room != own)
            {
                Adapter.Delete(socket.Id, room);
            }
        }
        if (own is not null)
        {
            Adapter.AddAll(socket.Id, [own]);
        }
    }
}
