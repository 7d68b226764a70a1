using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis.Sharded;

// Dynamic subscription modes (Node's "create-room" / "delete-room" listeners): a room that gets its own channel is
// subscribed when it gets its first member on this node and unsubscribed when it loses its last. In "dynamic"
// mode that is a public room, i.e. not the id of a socket this node knows (Node's `!this.sids.has(room)`, asked
// when the room is created); in "dynamic-private" mode every room, socket-id rooms included. The members of
// those rooms are counted here, under one lock with the changes of the room table, so a room joined and left
// at once from several threads is subscribed exactly while it has members.
internal sealed partial class ShardedRedisAdapter
{
    private readonly RedisSubscriptionMode _subscriptionMode;
    private readonly Lock _roomGate = new();
    private readonly Dictionary<string, RoomSubscription> _roomChannels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _endingRoomChannels = new(StringComparer.Ordinal);

    private sealed class RoomSubscription(RedisSubscription subscription)
    {
        public RedisSubscription Subscription { get; } = subscription;

        public int Members { get; set; }
    }

    private bool Dynamic => _subscriptionMode is RedisSubscriptionMode.Dynamic or RedisSubscriptionMode.DynamicPrivate;

    private string RoomChannelName(string room) => $"{_channel}{room}#";

    /// <summary>
    /// Whether a broadcast to <paramref name="room"/> alone goes on the room's channel (Node's <c>computeChannel</c>):
    /// always in dynamic-private mode; in dynamic mode unless the room looks like a socket id (20 characters).
    /// </summary>
    private bool PublishesOnRoomChannel(string room) => _subscriptionMode switch
    {
        RedisSubscriptionMode.DynamicPrivate => true,
        RedisSubscriptionMode.Dynamic => room.Length != 20,
        _ => false,
    };

    /// <summary>Whether this node subscribes to <paramref name="room"/>'s channel while it has members here (Node's <c>shouldUseASeparateNamespace</c>).</summary>
    private bool SubscribesToRoomChannel(string room) => _subscriptionMode switch
    {
        RedisSubscriptionMode.DynamicPrivate => true,
        RedisSubscriptionMode.Dynamic => Local.SocketRooms(room).Count == 0,
        _ => false,
    };

    /// <inheritdoc />
    public override void AddAll(string id, IEnumerable<string> rooms)
    {
        if (!Dynamic)
        {
            base.AddAll(id, rooms);
            return;
        }
        var joined = rooms as IReadOnlyCollection<string> ?? [.. rooms];
        lock (_roomGate)
        {
            var before = Local.SocketRooms(id);
            base.AddAll(id, joined);
            foreach (var room in joined.Distinct(StringComparer.Ordinal))
            {
                if (before.Contains(room))
                {
                    continue;
                }
                if (_roomChannels.TryGetValue(room, out var channel))
                {
                    channel.Members++;
                }
                else if (SubscribesToRoomChannel(room))
                {
                    _endingRoomChannels.Remove(room, out var ending);
                    var subscription = new RedisSubscription(_subscriber, RedisChannel.Sharded(RoomChannelName(room)), OnRawMessage, Logger, Nsp, ending);
                    // Usually 1 (a new room); more when an existing room only now qualifies (a socket-id room
                    // whose socket left, in dynamic mode).
                    var members = Local.Sockets(new() { Rooms = new HashSet<string>(StringComparer.Ordinal) { room } }).Count;
                    _roomChannels[room] = new RoomSubscription(subscription) { Members = members };
                }
            }
        }
    }

    /// <inheritdoc />
    public override void Delete(string id, string room)
    {
        if (!Dynamic)
        {
            base.Delete(id, room);
            return;
        }
        lock (_roomGate)
        {
            var wasMember = _roomChannels.ContainsKey(room) && Local.SocketRooms(id).Contains(room);
            base.Delete(id, room);
            if (wasMember)
            {
                Left(room);
            }
        }
    }

    /// <inheritdoc />
    public override void DeleteAll(string id)
    {
        if (!Dynamic)
        {
            base.DeleteAll(id);
            return;
        }
        lock (_roomGate)
        {
            var rooms = Local.SocketRooms(id);
            base.DeleteAll(id);
            foreach (var room in rooms)
            {
                Left(room);
            }
        }
    }

    // Under _roomGate: a member of the room left this node.
    private void Left(string room)
    {
        if (!_roomChannels.TryGetValue(room, out var channel) || --channel.Members > 0)
        {
            return;
        }
        _roomChannels.Remove(room);
        channel.Subscription.Unsubscribe();
        if (!channel.Subscription.Subscribed.IsCompleted)
        {
            // Still being made (Redis is away): a new subscription to the room waits for this one's end.
            var ending = channel.Subscription.Subscribed;
            _endingRoomChannels[room] = ending;
            _ = ending.ContinueWith(_ =>
            {
                lock (_roomGate)
                {
                    if (_endingRoomChannels.TryGetValue(room, out var current) && current == ending)
                    {
                        _endingRoomChannels.Remove(room);
                    }
                }
            }, TaskScheduler.Default);
        }
    }

    /// <summary>The rooms whose channel this node is subscribed to (for tests).</summary>
    internal IReadOnlyCollection<string> SubscribedRooms
    {
        get
        {
            lock (_roomGate)
            {
                return [.. _roomChannels.Keys];
            }
        }
    }

    private void UnsubscribeRooms()
    {
        lock (_roomGate)
        {
            foreach (var channel in _roomChannels.Values)
            {
                channel.Subscription.Unsubscribe();
            }
            _roomChannels.Clear();
        }
    }
}
