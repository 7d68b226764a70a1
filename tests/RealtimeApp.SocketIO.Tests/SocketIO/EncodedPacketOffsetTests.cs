using System.Text;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary><see cref="EncodedPacket.WithOffset"/>: a stored event re-stamped with a stream's entry id, or unstamped.</summary>
public sealed class EncodedPacketOffsetTests
{
    private static string Text(EncodedPacket packet) => Encoding.UTF8.GetString(packet.Packet.Frames[0].Frame.Span);

    [Fact]
    public void The_last_argument_is_replaced_and_binary_attachments_stay()
    {
        var stored = new EncodedPacket(OutgoingPacket.StoredEvent("/chat", "ev", ["a", 1, new byte[] { 7 }], "MyYeast.1"));
        Assert.Equal("""451-/chat,["ev","a",1,{"_placeholder":true,"num":0},"MyYeast.1"]""", Text(stored));

        var restamped = stored.WithOffset("1700000000000-3");
        Assert.Equal("1700000000000-3", restamped.Offset);
        Assert.Equal("""451-/chat,["ev","a",1,{"_placeholder":true,"num":0},"1700000000000-3"]""", Text(restamped));
        Assert.Equal([7], restamped.Packet.Frames[1].Frame.ToArray());

        var unstamped = stored.WithOffset(null);
        Assert.Null(unstamped.Offset);
        Assert.Equal("""451-/chat,["ev","a",1,{"_placeholder":true,"num":0}]""", Text(unstamped));
    }

    [Fact]
    public void An_event_without_arguments_keeps_its_name_only_and_an_unstored_one_is_refused()
    {
        var stored = new EncodedPacket(OutgoingPacket.StoredEvent("/", "ping", [], "x"));
        Assert.Equal("""42["ping"]""", Text(stored.WithOffset(null)));
        Assert.Equal("""42["ping","1-0"]""", Text(stored.WithOffset("1-0")));
        var plain = new EncodedPacket(OutgoingPacket.Event("/", "ping", []));
        Assert.Throws<InvalidOperationException>(() => plain.WithOffset("1-0"));
    }
}
