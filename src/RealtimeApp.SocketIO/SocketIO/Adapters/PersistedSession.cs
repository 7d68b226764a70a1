namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// The state of a socket that lost its connection, kept for connection state recovery (Node's
/// <c>SessionToPersist</c>): its id, its private session id, its rooms (its own id included) and its data.
/// </summary>
/// <param name="Sid">The socket id, given back to the recovered socket.</param>
/// <param name="Pid">The private session id the client presents when it reconnects (never broadcast).</param>
/// <param name="Rooms">The rooms the socket was in.</param>
/// <param name="Data">A copy of the socket's <c>Data</c>.</param>
public sealed record PersistedSession(string Sid, string Pid, IReadOnlyCollection<string> Rooms,
    IReadOnlyDictionary<string, object?> Data);

/// <summary>A recovered session and the packets it missed, in the order they were sent.</summary>
/// <param name="Session">The persisted state.</param>
/// <param name="MissedPackets">Events sent to its rooms after the client's last offset.</param>
public sealed record RestoredSession(PersistedSession Session, IReadOnlyList<EncodedPacket> MissedPackets);
