namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// What connection state recovery keeps for one namespace (Node's <c>SessionAwareAdapter</c>): every
/// stored broadcast with its offset and target rooms, and the state of sockets that lost their connection,
/// each for <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/>. Expired entries are
/// dropped as new ones arrive (both lists are in time order), so there is no cleanup timer. Not
/// thread-safe: the adapter calls it under its lock.
/// </summary>
internal sealed class RecoveryStore(ConnectionStateRecoveryOptions options, TimeProvider time)
{
    private readonly record struct StoredPacket(string Offset, long StoredAt, EncodedPacket Packet, BroadcastOptions Target);

    private readonly List<StoredPacket> _packets = [];
    private int _head; // _packets[.._head] are expired and waiting to be compacted away
    private long _dropped; // packets removed from the front of _packets since the start
    private readonly Dictionary<string, long> _positionByOffset = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (PersistedSession Session, long At)> _sessions = new(StringComparer.Ordinal);
    private readonly Queue<(string Pid, long At)> _sessionsByAge = new();

    private long Now => time.GetTimestamp();

    private bool Expired(long at) => time.GetElapsedTime(at, Now) > options.MaxDisconnectionDuration;

    public int PacketCount => _packets.Count - _head;

    public int SessionCount => _sessions.Count;

    public void Record(EncodedPacket packet, BroadcastOptions target)
    {
        DropExpiredPackets();
        _positionByOffset[packet.Offset!] = _dropped + _packets.Count;
        _packets.Add(new StoredPacket(packet.Offset!, Now, packet, target));
    }

    public void Persist(PersistedSession session)
    {
        DropExpiredSessions();
        var now = Now;
        _sessions[session.Pid] = (session, now);
        _sessionsByAge.Enqueue((session.Pid, now));
    }

    /// <summary>
    /// Takes the session of <paramref name="pid"/> (once: a second reconnect with the same pid starts
    /// fresh) with the packets stored after <paramref name="offset"/> that its rooms would have received;
    /// null when the session is unknown or expired, or the offset is no longer (or never was) stored.
    /// </summary>
    public (PersistedSession Session, List<EncodedPacket> Missed)? Take(string pid, string offset)
    {
        DropExpiredSessions();
        DropExpiredPackets();
        if (!_sessions.TryGetValue(pid, out var stored) || !_positionByOffset.TryGetValue(offset, out var position))
        {
            return null;
        }
        var session = stored.Session;
        _sessions.Remove(pid);
        var missed = new List<EncodedPacket>();
        for (var i = (int)(position - _dropped) + 1; i < _packets.Count; i++)
        {
            if (Reaches(_packets[i].Target, session.Rooms))
            {
                missed.Add(_packets[i].Packet);
            }
        }
        return (session, missed);
    }

    // Node's shouldIncludePacket: addressed to everyone or to one of the rooms, and not excluded by any.
    private static bool Reaches(BroadcastOptions target, IReadOnlyCollection<string> rooms) =>
        (target.Rooms.Count == 0 || rooms.Any(target.Rooms.Contains)) && !rooms.Any(target.Except.Contains);

    private void DropExpiredPackets()
    {
        while (_head < _packets.Count && Expired(_packets[_head].StoredAt))
        {
            _positionByOffset.Remove(_packets[_head].Offset);
            _head++;
        }
        if (_head > 0 && _head >= _packets.Count / 2)
        {
            _packets.RemoveRange(0, _head);
            _dropped += _head;
            _head = 0;
        }
    }

    private void DropExpiredSessions()
    {
        while (_sessionsByAge.TryPeek(out var oldest) && Expired(oldest.At))
        {
            _sessionsByAge.Dequeue();
            // A pid persisted again later has a newer entry behind; only drop the session this entry stored.
            if (_sessions.TryGetValue(oldest.Pid, out var stored) && stored.At == oldest.At)
            {
                _sessions.Remove(oldest.Pid);
            }
        }
    }
}
