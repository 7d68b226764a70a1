using RealtimeApp.SocketIO.Redis.Streams;

namespace RealtimeApp.SocketIO.Tests.Redis;

/// <summary>Stream entry ids, and the stream a namespace uses — the same one Node's streams adapter picks.</summary>
public sealed class StreamIdsTests
{
    [Theory]
    // Expected values printed by Node 20 with the adapter's own hashCode (int32 arithmetic, JavaScript's % sign).
    [InlineData("/", 3, "socket.io-2")]
    [InlineData("/item", 3, "socket.io-1")]
    [InlineData("/orders", 3, "socket.io-2")]
    [InlineData("/notifications", 3, "socket.io--2")]
    [InlineData("/dashboard", 3, "socket.io--1")]
    [InlineData("/admin-ui", 3, "socket.io-0")] // -0 in JavaScript, printed "0"
    [InlineData("/item", 1, "socket.io")]
    public void A_namespace_maps_to_the_stream_Node_picks(string nsp, int count, string stream) =>
        Assert.Equal(stream, StreamIds.StreamOf(nsp, "socket.io", count));

    [Fact]
    public void Ids_compare_by_time_then_sequence_and_only_complete_ids_are_valid()
    {
        Assert.True(StreamIds.Compare("1700000000000-10", "1700000000000-9") > 0);
        Assert.True(StreamIds.Compare("1700000000001-0", "1700000000000-99") > 0);
        Assert.Equal(0, StreamIds.Compare("5-1", "5-1"));
        Assert.True(StreamIds.IsValid("0-0"));
        Assert.False(StreamIds.IsValid("1700000000000"));
        Assert.False(StreamIds.IsValid("MyYeast.1"));
        Assert.False(StreamIds.IsValid("-1-2"));
    }
}
