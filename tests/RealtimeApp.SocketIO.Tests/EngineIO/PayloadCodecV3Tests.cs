using System.Buffers;
using System.Text;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>
/// Engine.IO v3 polling payloads (engine.io-parser 2.x): the text framing with UTF-16 lengths and the binary
/// framing, with the byte sequences the digest and the v3 protocol suite give.
/// </summary>
public sealed class PayloadCodecV3Tests
{
    private static readonly EnginePacket Bytes1234 = EnginePacket.Binary(new byte[] { 1, 2, 3, 4 });

    private static string EncodeText(params EnginePacket[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV3.EncodeText(packets, writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    private static byte[] EncodeBinary(params EnginePacket[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV3.EncodeBinary(packets, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static (EngineDecodeError Error, List<DecodedPacket> Packets) DecodeText(string body)
    {
        var packets = new List<DecodedPacket>();
        return (PayloadCodecV3.DecodeText(Encoding.UTF8.GetBytes(body), packets), packets);
    }

    private static string Text(DecodedPacket packet) => Encoding.UTF8.GetString(packet.Data.Span);

    [Fact]
    public void Text_framing_prefixes_each_packet_with_its_length_in_UTF16_units()
    {
        Assert.Equal("6:4hello2:4€", EncodeText(EnginePacket.Message("hello"), EnginePacket.Message("€")));
        Assert.Equal("3:4😀", EncodeText(EnginePacket.Message("😀"))); // a surrogate pair is two units
        Assert.Equal("1:2", EncodeText(EnginePacket.Ping));
    }

    [Fact]
    public void Text_framing_writes_binary_as_b4_base64_counting_the_whole_entry()
    {
        Assert.Equal("10:b4AQIDBA==", EncodeText(Bytes1234));
    }

    [Fact]
    public void Binary_framing_is_marker_length_digits_255_then_the_packet()
    {
        Assert.Equal(
            [0x00, 0x06, 0xFF, .. "4hello"u8, 0x01, 0x05, 0xFF, 0x04, 0x01, 0x02, 0x03, 0x04],
            EncodeBinary(EnginePacket.Message("hello"), Bytes1234));
        // Lengths of two or more digits: each digit its own byte; string lengths in UTF-8 bytes.
        var longer = EnginePacket.Message(new string('x', 11) + "€");
        Assert.Equal([0x00, 0x01, 0x05, 0xFF], EncodeBinary(longer)[..4]);
    }

    [Fact]
    public void Binary_framing_is_used_only_for_a_binary_packet_to_a_client_that_takes_binary()
    {
        EnginePacket[] mixed = [EnginePacket.Message("a"), Bytes1234];
        Assert.True(PayloadCodecV3.UsesBinaryFraming(mixed, supportsBinary: true));
        Assert.False(PayloadCodecV3.UsesBinaryFraming(mixed, supportsBinary: false));
        Assert.False(PayloadCodecV3.UsesBinaryFraming([EnginePacket.Message("a")], supportsBinary: true));
    }

    [Fact]
    public void Text_decoding_reads_lengths_in_UTF16_units_and_base64_entries()
    {
        var (error, packets) = DecodeText("6:4hello2:4€3:4😀10:b4AQIDBA==1:2");

        Assert.Equal(EngineDecodeError.None, error);
        Assert.Equal(["hello", "€", "😀"], packets.Take(3).Select(Text));
        Assert.True(packets[3].IsBinary);
        Assert.Equal(EnginePacketType.Message, packets[3].Type);
        Assert.Equal([1, 2, 3, 4], packets[3].Data.ToArray());
        Assert.Equal(EnginePacketType.Ping, packets[4].Type);
    }

    [Fact]
    public void The_empty_payload_0_colon_decodes_to_no_packets()
    {
        var (error, packets) = DecodeText("0:");
        Assert.Equal(EngineDecodeError.None, error);
        Assert.Empty(packets);
    }

    [Theory]
    [InlineData("", EngineDecodeError.EmptyPacket)]
    [InlineData("5:4hi", EngineDecodeError.InvalidLength)]
    [InlineData(":4hi", EngineDecodeError.InvalidLength)]
    [InlineData("a:4hi", EngineDecodeError.InvalidLength)]
    [InlineData("4hi", EngineDecodeError.InvalidLength)]
    [InlineData("2:4😀", EngineDecodeError.InvalidLength)] // would split a surrogate pair
    [InlineData("2:9x", EngineDecodeError.UnknownType)]
    [InlineData("4:b4!!", EngineDecodeError.InvalidBase64)]
    [InlineData("2:b9", EngineDecodeError.UnknownType)]
    [InlineData("12345678901:4", EngineDecodeError.InvalidLength)]
    public void Text_decoding_refuses_malformed_payloads_with_a_typed_error(string body, object expectedValue)
    {
        var expected = (EngineDecodeError)expectedValue; // the enum is internal; a public theory takes it as object
        Assert.Equal(expected, DecodeText(body).Error);
    }

    [Fact]
    public void Binary_decoding_round_trips_the_binary_framing()
    {
        var packets = new List<DecodedPacket>();
        var error = PayloadCodecV3.DecodeBinary(EncodeBinary(EnginePacket.Message("hé"), Bytes1234, EnginePacket.Ping), packets);

        Assert.Equal(EngineDecodeError.None, error);
        Assert.Equal("hé", Text(packets[0]));
        Assert.False(packets[0].IsBinary);
        Assert.True(packets[1].IsBinary);
        Assert.Equal([1, 2, 3, 4], packets[1].Data.ToArray());
        Assert.Equal(EnginePacketType.Ping, packets[2].Type);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x01, 0xFF, 0x34 })]             // marker neither 0 nor 1
    [InlineData(new byte[] { 0x00, 0x0A, 0xFF, 0x34 })]             // a "digit" of 10
    [InlineData(new byte[] { 0x00, 0x05, 0xFF, 0x34 })]             // longer than the body
    [InlineData(new byte[] { 0x00, 0xFF, 0x34 })]                   // no digits
    [InlineData(new byte[] { 0x00, 0x01, 0x34 })]                   // no 255 end
    [InlineData(new byte[] { 0x00, 0x00, 0xFF })]                   // an empty packet
    [InlineData(new byte[] { 0x01, 0x02, 0xFF, 0x09, 0x01 })]       // binary of an unknown type
    public void Binary_decoding_refuses_malformed_framing(byte[] body)
    {
        Assert.NotEqual(EngineDecodeError.None, PayloadCodecV3.DecodeBinary(body, []));
    }

    [Fact]
    public void A_v3_binary_WebSocket_frame_starts_with_its_type_byte()
    {
        Assert.Equal(EngineDecodeError.None, PayloadCodecV3.DecodeBinaryFrame(new byte[] { 4, 9, 8 }, out var packet));
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.Equal([9, 8], packet.Data.ToArray());
        Assert.Equal([4, 1, 2, 3, 4], Bytes1234.V3BinaryFrame.ToArray());
        Assert.Equal(EngineDecodeError.EmptyPacket, PayloadCodecV3.DecodeBinaryFrame(Array.Empty<byte>(), out _));
    }
}
