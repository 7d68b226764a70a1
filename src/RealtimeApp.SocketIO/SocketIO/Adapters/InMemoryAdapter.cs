using System.Buffers;

namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// The default adapter: room ↔ socket-id maps for one namespace on this node. The selection is computed
/// under a lock; the sends happen outside it (a slow socket never holds up the room table). With
/// connection state recovery on, it also stores broadcast events and disconnected sockets' state (Node's
/// session-aware in-memory adapter). A cluster adapter can keep its local rooms in one and delegate to it.
/// </summary>
public sealed class InMemoryAdapter : ISocketIOAdapter
{
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _sids = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly AdapterContext _context;
    private readonly RecoveryStore? _recovery;

    /// <summary>
    /// The rooms of <paramref name="context"/>'s namespace on this node. With <paramref name="recovery"/> it also
    /// keeps what connection state recovery needs for that long (<see cref="SupportsRecovery"/>); a cluster
    /// adapter delegating its local part to it passes none.
    /// </summary>
    public InMemoryAdapter(AdapterContext context, ConnectionStateRecoveryOptions? recovery = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        if (recovery is not null)
        {
            _recovery = new RecoveryStore(recovery, context.Time);
        }
    }

    /// <inheritdoc />
    public bool SupportsRecovery => _recovery is not null;

    /// <summary>Packets and sessions held for recovery (0 when recovery is off); for metrics and tests.</summary>
    public (int Packets, int Sessions) RecoveryBacklog
    {
        get
        {
            lock (_gate)
            {
                return _recovery is null ? (0, 0) : (_recovery.PacketCount, _recovery.SessionCount);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<int> ServerCountAsync() => ValueTask.FromResult(1);

    /// <inheritdoc />
    public void AddAll(string id, IEnumerable<string> rooms)
    {
        // Node's adapter emits "join-room" for each room newly joined; the observer (admin UI) hears it after
        // the lock is released, and collecting costs nothing when nobody observes.
        var observer = _context.Namespace.Server.Observer;
        List<string>? added = null;
        lock (_gate)
        {
            if (!_sids.TryGetValue(id, out var joined))
            {
                _sids[id] = joined = new HashSet<string>(StringComparer.Ordinal);
            }
            foreach (var room in rooms)
            {
                joined.Add(room);
                if (!_rooms.TryGetValue(room, out var members))
                {
                    _rooms[room] = members = new HashSet<string>(StringComparer.Ordinal);
                }
                if (members.Add(id) && observer is not null)
                {
                    (added ??= []).Add(room);
                }
            }
        }
        if (added is not null)
        {
            foreach (var room in added)
            {
                observer!.RoomJoined(_context.Namespace, room, id);
            }
        }
    }

    /// <inheritdoc />
    public void Delete(string id, string room)
    {
        bool removed;
        lock (_gate)
        {
            if (_sids.TryGetValue(id, out var joined))
            {
                joined.Remove(room);
            }
            removed = RemoveMember(room, id);
        }
        if (removed)
        {
            _context.Namespace.Server.Observer?.RoomLeft(_context.Namespace, room, id);
        }
    }

    /// <inheritdoc />
    public void DeleteAll(string id)
    {
        var observer = _context.Namespace.Server.Observer;
        List<string>? left = null;
        lock (_gate)
        {
            if (!_sids.Remove(id, out var joined))
            {
                return;
            }
            foreach (var room in joined)
            {
                if (RemoveMember(room, id) && observer is not null)
                {
                    (left ??= []).Add(room);
                }
            }
        }
        if (left is not null)
        {
            foreach (var room in left)
            {
                observer!.RoomLeft(_context.Namespace, room, id);
            }
        }
    }

    private bool RemoveMember(string room, string id)
    {
        if (!_rooms.TryGetValue(room, out var members) || !members.Remove(id))
        {
            return false;
        }
        if (members.Count == 0)
        {
            _rooms.Remove(room);
        }
        return true;
    }

    /// <inheritdoc />
    public IReadOnlySet<string> SocketRooms(string id)
    {
        lock (_gate)
        {
            return _sids.TryGetValue(id, out var joined) ? new HashSet<string>(joined, StringComparer.Ordinal) : new HashSet<string>();
        }
    }

    /// <inheritdoc />
    public int LocalRoomCount
    {
        get
        {
            lock (_gate)
            {
                return _rooms.Count;
            }
        }
    }

    /// <summary>Every room with at least one member on this node (socket-id rooms included, as Node's <c>allRooms</c>).</summary>
    public IReadOnlyCollection<string> AllRooms()
    {
        lock (_gate)
        {
            return [.. _rooms.Keys];
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Sockets(BroadcastOptions options)
    {
        lock (_gate)
        {
            return SelectIds(options);
        }
    }

    // Called under _gate.
    private HashSet<string> SelectIds(BroadcastOptions options)
    {
        var selected = new HashSet<string>(StringComparer.Ordinal);
        if (options.Rooms.Count == 0)
        {
            selected.UnionWith(_sids.Keys);
        }
        else
        {
            foreach (var room in options.Rooms)
            {
                if (_rooms.TryGetValue(room, out var members))
                {
                    selected.UnionWith(members);
                }
            }
        }
        foreach (var room in options.Except)
        {
            if (_rooms.TryGetValue(room, out var members))
            {
                selected.ExceptWith(members);
            }
        }
        return selected;
    }

    /// <inheritdoc />
    public int Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        if (packet.Offset is not null && _recovery is not null)
        {
            return BroadcastStored(packet, options);
        }
        return DeliverToSelected(packet, options);
    }

    /// <summary>
    /// A packet kept for recovery is stored and handed to its targets under the lock, so every socket gets
    /// stored packets in the order of their offsets — the order a recovering client's last offset refers to
    /// — and a recovery (<see cref="RestoreSession"/>) falls wholly before or after each of them.
    /// </summary>
    private int BroadcastStored(EncodedPacket packet, BroadcastOptions options)
    {
        lock (_gate)
        {
            _recovery!.Record(packet, options);
            return DeliverToSelected(packet, options); // the lock is re-entrant
        }
    }

    private int DeliverToSelected(EncodedPacket packet, BroadcastOptions options)
    {
        var count = SelectSockets(options, out var targets);
        var sent = 0;
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (targets[i].Deliver(packet.Packet, options.Volatile, options.Compress))
                {
                    sent++;
                }
            }
        }
        finally
        {
            ArrayPool<SocketContext>.Shared.Return(targets, clearArray: true);
        }
        return sent;
    }

    /// <inheritdoc />
    public void PersistSession(PersistedSession session)
    {
        lock (_gate)
        {
            _recovery?.Persist(session);
        }
    }

    /// <inheritdoc />
    public RestoredSession? RestoreSession(string pid, string offset, Action<PersistedSession> claim)
    {
        lock (_gate)
        {
            if (_recovery?.Take(pid, offset) is not { } taken)
            {
                return null;
            }
            claim(taken.Session);
            AddAll(taken.Session.Sid, taken.Session.Rooms);
            return new RestoredSession(taken.Session, taken.Missed);
        }
    }

    /// <summary>
    /// The selected sockets, in a pooled array. The common broadcasts — the whole namespace, or one room
    /// with no exception — read the member set as it is; only unions and exceptions build a set of ids.
    /// </summary>
    private int SelectSockets(BroadcastOptions options, out SocketContext[] targets)
    {
        lock (_gate)
        {
            var count = 0;
            if (options.Except.Count == 0 && options.Rooms.Count == 0)
            {
                targets = ArrayPool<SocketContext>.Shared.Rent(Math.Max(1, _sids.Count));
                foreach (var id in _sids.Keys)
                {
                    Add(id, targets, ref count);
                }
                return count;
            }
            if (options.Except.Count == 0 && options.Rooms.Count == 1)
            {
                var members = _rooms.GetValueOrDefault(options.Rooms.First());
                targets = ArrayPool<SocketContext>.Shared.Rent(Math.Max(1, members?.Count ?? 0));
                if (members is not null)
                {
                    foreach (var id in members)
                    {
                        Add(id, targets, ref count);
                    }
                }
                return count;
            }
            var ids = SelectIds(options);
            targets = ArrayPool<SocketContext>.Shared.Rent(Math.Max(1, ids.Count));
            foreach (var id in ids)
            {
                Add(id, targets, ref count);
            }
            return count;
        }
    }

    private void Add(string id, SocketContext[] targets, ref int count)
    {
        if (_context.FindSocket(id) is { } socket)
        {
            targets[count++] = socket;
        }
    }
}
