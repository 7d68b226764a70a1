namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// The channel names of @socket.io/redis-adapter 8.x for one namespace. Broadcasts go on
/// <c>{key}#{nsp}#</c>, or <c>{key}#{nsp}#{room}#</c> for a single room, and every node pattern-subscribes to
/// <c>{key}#{nsp}#*</c>; requests on <c>{key}-request#{nsp}#</c>; answers on <c>{key}-response#{nsp}#</c>
/// (or the requester's own <c>{key}-response#{nsp}#{uid}#</c>).
/// </summary>
internal sealed class RedisChannels(string key, string nsp, string uid)
{
    public string Broadcast { get; } = $"{key}#{nsp}#";

    public string BroadcastPattern => Broadcast + "*";

    public string Room(string room) => $"{Broadcast}{room}#";

    public string Request { get; } = $"{key}-request#{nsp}#";

    public string Response { get; } = $"{key}-response#{nsp}#";

    public string OwnResponse { get; } = $"{key}-response#{nsp}#{uid}#";

    /// <summary>The room a room-specific broadcast channel names, or null for the namespace channel.</summary>
    public string? RoomOf(string channel) =>
        channel.Length > Broadcast.Length + 1 && channel.StartsWith(Broadcast, StringComparison.Ordinal) && channel.EndsWith('#')
            ? channel[Broadcast.Length..^1]
            : null;
}
