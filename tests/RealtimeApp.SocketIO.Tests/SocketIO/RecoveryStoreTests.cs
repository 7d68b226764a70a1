using System.Text;
using Microsoft.Extensions.Time.Testing;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>
/// What connection state recovery keeps, on a fake clock: packets after the client's offset that its rooms
/// would have received (Node's shouldIncludePacket), sessions taken once, everything dropped after the window.
/// </summary>
public sealed class RecoveryStoreTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly RecoveryStore _store;

    public RecoveryStoreTests() => _store = new RecoveryStore(new ConnectionStateRecoveryOptions { MaxDisconnectionDuration = Window }, _time);

    private EncodedPacket Record(string text, string[]? rooms = null, string[]? except = null)
    {
        var packet = new EncodedPacket(OutgoingPacket.StoredEvent("/", "e", [text], RecoveryOffset.Next(_time)));
        _store.Record(packet, new BroadcastOptions
        {
            Rooms = new HashSet<string>(rooms ?? []),
            Except = new HashSet<string>(except ?? []),
        });
        return packet;
    }

    private static PersistedSession Session(string pid, params string[] rooms) => new("sid-" + pid, pid, rooms, new Dictionary<string, object?>());

    private static string Text(EncodedPacket packet) => Encoding.UTF8.GetString(packet.Packet.Frames[0].Frame.Span);

    [Fact]
    public void A_session_gets_the_packets_after_its_offset_that_its_rooms_would_have_received_in_order()
    {
        var last = Record("seen");
        Record("to-all");
        Record("to-r1", rooms: ["r1"]);
        Record("to-r2", rooms: ["r2"]);
        Record("to-all-but-r1", except: ["r1"]);
        Record("to-r2-or-me", rooms: ["r2", "sid-p"]);
        _store.Persist(Session("p", "sid-p", "r1"));

        var taken = _store.Take("p", last.Offset!);

        Assert.NotNull(taken);
        Assert.Equal(["to-all", "to-r1", "to-r2-or-me"], taken.Value.Missed.Select(p => Text(p).Split('"')[3]));
    }

    [Fact]
    public void A_session_is_taken_once()
    {
        var last = Record("seen");
        _store.Persist(Session("p", "sid-p"));

        Assert.NotNull(_store.Take("p", last.Offset!));
        Assert.Null(_store.Take("p", last.Offset!));
    }

    [Fact]
    public void An_unknown_pid_or_offset_recovers_nothing()
    {
        var last = Record("seen");
        _store.Persist(Session("p", "sid-p"));

        Assert.Null(_store.Take("other", last.Offset!));
        Assert.Null(_store.Take("p", "not-an-offset"));
        Assert.NotNull(_store.Take("p", last.Offset!)); // a failed attempt does not use the session up
    }

    [Fact]
    public void Sessions_and_packets_older_than_the_window_are_dropped()
    {
        var old = Record("old");
        _store.Persist(Session("p", "sid-p"));
        _time.Advance(Window + TimeSpan.FromMilliseconds(1));
        Record("new");

        Assert.Null(_store.Take("p", old.Offset!));
        Assert.Equal(1, _store.PacketCount);
        Assert.Equal(0, _store.SessionCount);
    }

    [Fact]
    public void A_session_inside_the_window_survives_the_expiry_of_older_ones()
    {
        _store.Persist(Session("old", "sid-old"));
        _time.Advance(Window / 2);
        var last = Record("seen");
        _store.Persist(Session("p", "sid-p"));
        _time.Advance(Window / 2 + TimeSpan.FromMilliseconds(1));

        Assert.NotNull(_store.Take("p", last.Offset!));
        Assert.Equal(0, _store.SessionCount);
    }

    [Fact]
    public void Offsets_follow_Nodes_format_and_are_unique_within_a_millisecond()
    {
        var offsets = Enumerable.Range(0, 100).Select(_ => RecoveryOffset.Next(_time)).ToList();

        Assert.Equal(100, offsets.Distinct().Count());
        Assert.All(offsets, o => Assert.Matches("^[0-9A-Za-z_-]+(\\.[0-9A-Za-z_-]+)?$", o));
    }
}
