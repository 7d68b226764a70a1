using System.Buffers;
using RealtimeApp.SocketIO.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.SocketIO.Adapters;

/// <summary>
/// The default adapter: room ↔ socket-id maps for one namespace on this node. The selection is computed
/// under a lock; the sends happen outside it (a slow socket never holds up the room table).
/// </summary>
public sealed class InMemoryAdapter(Func<string, SocketContext?> findSocket) : ISocketIOAdapter
{
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _sids = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<int> ServerCountAsync() => ValueTask.FromResult(1);

    /// <inheritdoc />
    public void AddAll(string id, IEnumerable<string> rooms)
    {
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
                members.Add(id);
            }
        }
    }

    /// <inheritdoc />
    public void Delete(string id, string room)
    {
        lock (_gate)
        {
            if (_sids.TryGetValue(id, out var joined))
            {
                joined.Remove(room);
            }
            RemoveMember(room, id);
        }
    }

    /// <inheritdoc />
    public void DeleteAll(string id)
    {
        lock (_gate)
        {
            if (!_sids.Remove(id, out var joined))
            {
                return;
            }
            foreach (var room in joined)
            {
                RemoveMember(room, id);
            }
        }
    }

    private void RemoveMember(string room, string id)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(id) && members.Count == 0)
        {
            _rooms.Remove(room);
        }
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
    public int Broadcast(OutgoingPacket packet, BroadcastOptions options)
    {
        var count = SelectSockets(options, out var targets);
        var sent = 0;
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (targets[i].Deliver(packet, options.Volatile))
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
        if (findSocket(id) is { } socket)
        {
            targets[count++] = socket;
        }
    }
}
