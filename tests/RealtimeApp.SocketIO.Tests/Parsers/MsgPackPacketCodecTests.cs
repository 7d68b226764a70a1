using System.Text;
using System.Text.Json;
using RealtimeApp.SocketIO.Parsers;
using RealtimeApp.SocketIO.Protocol;
using RealtimeApp.SocketIO.Tests.Fuzzing;

namespace RealtimeApp.SocketIO.Tests.Parsers;

/// <summary>
/// The msgpack parser's codec against bytes Node's <c>socket.io-msgpack-parser</c> 3.0.2 wrote (the seed corpus of
/// fuzz/corpus/msgpack-packet, made by its Encoder): what they decode to, that encoding the decoded packet gives
/// Node's bytes back, and every malformed input refused with its typed error.
/// </summary>
public sealed class MsgPackPacketCodecTests
{
    private static byte[] NodeBytes(string name) =>
        File.ReadAllBytes(Path.Combine(FuzzRegressionTests.Root, "corpus", "msgpack-packet", name));

    private static SocketPacket Decode(byte[] bytes)
    {
        Assert.Equal(SocketDecodeError.None, MsgPackPacketCodec.Decode(bytes, out var packet, 10));
        return packet!;
    }

    [Theory]
    [InlineData("connect", nameof(SocketPacketType.Connect), "/", null, "")]
    [InlineData("connect-auth", nameof(SocketPacketType.Connect), "/admin", null, """{"token":"abc","n":1}""")]
    [InlineData("event", nameof(SocketPacketType.Event), "/", null, """["message","hello",1,2.5,true,null,{"a":[1,"b"]}]""")]
    [InlineData("event-ack", nameof(SocketPacketType.Event), "/", 7L, """["question","q"]""")]
    [InlineData("ack", nameof(SocketPacketType.Ack), "/custom", 42L, """[{"ok":true}]""")]
    [InlineData("disconnect", nameof(SocketPacketType.Disconnect), "/custom", null, "")]
    [InlineData("options-key", nameof(SocketPacketType.Event), "/", null, """["e"]""")]
    [InlineData("event-binary", nameof(SocketPacketType.BinaryEvent), "/", 1L,
        """["upload",{"name":"f","file":{"_placeholder":true,"num":0},"parts":[{"_placeholder":true,"num":1}]}]""")]
    [InlineData("event-arraybuffer", nameof(SocketPacketType.BinaryEvent), "/", null, """["ab",{"_placeholder":true,"num":0}]""")]
    [InlineData("ack-binary", nameof(SocketPacketType.BinaryAck), "/", 3L, """[{"_placeholder":true,"num":0}]""")]
    // JSON.stringify's view of a Date, of undefined in an array and in an object.
    [InlineData("event-date-undefined", nameof(SocketPacketType.Event), "/", null, """["when","2023-11-14T22:13:20.000Z",null,{"v":1}]""")]
    public void Node_written_packets_decode_to_the_library_form(string name, string type, string nsp, long? id, string json)
    {
        var packet = Decode(NodeBytes(name));

        Assert.Equal((Enum.Parse<SocketPacketType>(type), nsp, id, json), (packet.Type, packet.Namespace, packet.AckId, Encoding.UTF8.GetString(packet.Payload.Span)));
        Assert.True(packet.IsComplete);
    }

    [Fact]
    public void Binary_values_become_attachments_in_placeholder_order()
    {
        var packet = Decode(NodeBytes("event-binary"));
        Assert.Equal([[1, 2, 3], [4]], packet.Attachments.Select(a => a.ToArray()));
        Assert.Equal([9, 8], Assert.Single(Decode(NodeBytes("event-arraybuffer")).Attachments).ToArray());
    }

    [Fact]
    public void Large_and_fractional_numbers_keep_their_values()
    {
        var data = Decode(NodeBytes("big-numbers")).Data!.Value;
        Assert.Equal(9007199254740991, data[1].GetInt64());
        Assert.Equal(-9007199254740991, data[2].GetInt64());
        Assert.Equal(1.25, data[3].GetDouble());
        Assert.Equal(-0.5, data[4].GetDouble());
        Assert.Equal(4294967296, data[5].GetInt64());
    }

    [Theory]
    [InlineData("connect-auth")]
    [InlineData("event")]
    [InlineData("event-ack")]
    [InlineData("event-binary")]
    [InlineData("ack")]
    [InlineData("ack-binary")]
    [InlineData("disconnect")]
    [InlineData("big-numbers")]
    public void Encoding_the_decoded_packet_gives_Nodes_bytes_back(string name)
    {
        var node = NodeBytes(name);
        var packet = Decode(node);

        var ours = MsgPackPacketCodec.Encode(packet.Type, packet.Namespace, packet.AckId, packet.Payload, packet.Attachments);

        Assert.Equal(Convert.ToHexString(node), Convert.ToHexString(ours));
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        { "not a map", "92a474797065a36e7370", nameof(SocketDecodeError.InvalidMsgPack) },
        { "truncated", "83a474797065", nameof(SocketDecodeError.InvalidMsgPack) },
        { "trailing byte", "82a47479706500a36e7370a12fc0", nameof(SocketDecodeError.InvalidMsgPack) },
        { "type 5 (no BINARY_EVENT in this parser)", "82a47479706505a36e7370a12f", nameof(SocketDecodeError.UnknownType) },
        { "type is text", "82a474797065a132a36e7370a12f", nameof(SocketDecodeError.UnknownType) },
        { "no type", "81a36e7370a12f", nameof(SocketDecodeError.UnknownType) },
        { "no nsp", "81a47479706500", nameof(SocketDecodeError.InvalidNamespace) },
        { "nsp is a number", "82a47479706500a36e737001", nameof(SocketDecodeError.InvalidNamespace) },
        { "event data is text", "83a47479706502a464617461a178a36e7370a12f", nameof(SocketDecodeError.InvalidPayload) },
        { "empty event", "83a47479706502a46461746190a36e7370a12f", nameof(SocketDecodeError.InvalidPayload) },
        { "reserved event name", "83a47479706502a46461746191a7636f6e6e656374a36e7370a12f", nameof(SocketDecodeError.ReservedEventName) },
        { "negative ack id", "84a47479706502a46461746191a165a36e7370a12fa26964ff", nameof(SocketDecodeError.InvalidAckId) },
        { "fractional ack id", "84a47479706502a46461746191a165a36e7370a12fa26964cb3ff8000000000000", nameof(SocketDecodeError.InvalidAckId) },
        { "ack without id", "83a47479706503a46461746190a36e7370a12f", nameof(SocketDecodeError.InvalidPayload) },
        { "disconnect with data", "83a47479706501a46461746190a36e7370a12f", nameof(SocketDecodeError.InvalidPayload) },
        { "unknown extension type", "83a47479706502a46461746192a165d40501a36e7370a12f", nameof(SocketDecodeError.UnsupportedValue) },
        { "map key that is an array", "83a47479706502a46461746192a16581900fa36e7370a12f", nameof(SocketDecodeError.UnsupportedValue) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_are_refused_with_a_typed_error(string what, string hex, string expected)
    {
        Assert.Equal((what, expected), (what, MsgPackPacketCodec.Decode(Convert.FromHexString(hex), out var packet, 10).ToString()));
        Assert.Null(packet);
    }

    [Fact]
    public void Nesting_deeper_than_the_json_parser_allows_is_refused_without_recursing_into_it()
    {
        Assert.Equal(SocketDecodeError.InvalidMsgPack, MsgPackPacketCodec.Decode(NodeBytes("deep-nesting"), out _, 10));
        // 100,000 levels in the data and in a key the decoder skips: an error either way, no stack overflow.
        var deep = Enumerable.Repeat((byte)0x91, 100_000).Append((byte)0xc0).ToArray();
        byte[] head = [0x84, 0xa4, .."type"u8, 0x02, 0xa3, .."nsp"u8, 0xa1, (byte)'/', 0xa4, .."data"u8, 0x91, 0xa1, (byte)'e', 0xa1, (byte)'x'];
        Assert.Equal(SocketDecodeError.InvalidMsgPack, MsgPackPacketCodec.Decode((byte[])[.. head, .. deep], out _, 10));
    }

    [Fact]
    public void More_binary_values_than_allowed_are_refused()
    {
        byte[] bins = [.. Enumerable.Repeat<byte[]>([0xc4, 0x01, 0x07], 3).SelectMany(b => b)];
        byte[] packet = [0x83, 0xa4, .."type"u8, 0x02, 0xa4, .."data"u8, 0x94, 0xa1, (byte)'e', .. bins, 0xa3, .."nsp"u8, 0xa1, (byte)'/'];
        Assert.Equal(SocketDecodeError.None, MsgPackPacketCodec.Decode(packet, out _, 3));
        Assert.Equal(SocketDecodeError.TooManyAttachments, MsgPackPacketCodec.Decode(packet, out _, 2));
    }

    [Fact]
    public void Text_messages_are_refused_by_the_connections_decoder()
    {
        var decoder = new MsgPackPacketDecoder(10);
        var error = decoder.Add(new(RealtimeApp.SocketIO.EngineIO.Protocol.EnginePacketType.Message, IsBinary: false, "40"u8.ToArray()), out var packet);
        Assert.Equal(SocketDecodeError.UnexpectedText, error);
        Assert.Null(packet);
    }
}
