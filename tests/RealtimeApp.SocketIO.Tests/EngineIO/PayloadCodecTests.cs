using System.Buffers;
using System.Text;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Long-polling payloads (engine.io-protocol v4 "Payload encoding"): 0x1E-joined packets, binary as b + base64.</summary>
public sealed class PayloadCodecTests
{
    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] Encode(params EnginePacket[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodec.Encode(packets, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static string Text(DecodedPacket packet) => Encoding.UTF8.GetString(packet.Data.Span);

    [Fact]
    public void Separator_is_the_record_separator_0x1E()
    {
        Assert.Equal(0x1E, PayloadCodec.Separator);
    }

    [Fact]
    public void Encode_joins_text_packets_with_0x1E_and_no_trailing_separator()
    {
        var bytes = Encode(EnginePacket.Message("hello"), EnginePacket.Ping, EnginePacket.Message("world"));

        Assert.Equal(Latin1("4hello\u001e2\u001e4world"), bytes);
    }

    [Fact]
    public void Encode_writes_binary_as_b_base64_between_separators()
    {
        var bytes = Encode(
            EnginePacket.Message("hello"),
            EnginePacket.Binary(new byte[] { 0x01, 0x02, 0x03, 0x04 }),
            EnginePacket.Noop);

        Assert.Equal(Latin1("4hello\u001ebAQIDBA==\u001e6"), bytes);
    }

    [Fact]
    public void Encode_single_packet_has_no_separator()
    {
        Assert.Equal(Latin1("3probe"), Encode(EnginePacket.PongProbe));
        Assert.Equal(Latin1("bAQID"), Encode(EnginePacket.Binary(new byte[] { 1, 2, 3 })));
    }

    [Fact]
    public void Encode_empty_list_writes_nothing()
    {
        Assert.Empty(Encode());
    }

    [Fact]
    public void Encode_non_ascii_text_is_written_as_utf8()
    {
        var bytes = Encode(EnginePacket.Message("€"), EnginePacket.Message("😀"));

        Assert.Equal(new byte[] { 0x34, 0xE2, 0x82, 0xAC, 0x1E, 0x34, 0xF0, 0x9F, 0x98, 0x80 }, bytes);
    }

    [Fact]
    public void Encode_empty_binary_and_empty_message_are_b_and_4()
    {
        var bytes = Encode(EnginePacket.Binary(ReadOnlyMemory<byte>.Empty), EnginePacket.Message(""), EnginePacket.Close);

        Assert.Equal(Latin1("b\u001e4\u001e1"), bytes);
    }

    [Fact]
    public void Encode_appends_to_what_the_writer_already_holds()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("X"u8);

        PayloadCodec.Encode(new[] { EnginePacket.Ping, EnginePacket.Ping }, writer);

        Assert.Equal(Latin1("X2\u001e2"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Decode_splits_text_packets_on_0x1E_in_order()
    {
        var packets = new List<DecodedPacket>();

        var error = PayloadCodec.Decode(Latin1("4hello\u001e2\u001e4world"), packets);

        Assert.Equal(EngineDecodeError.None, error);
        Assert.Equal(3, packets.Count);
        Assert.Equal((EnginePacketType.Message, false, "hello"), (packets[0].Type, packets[0].IsBinary, Text(packets[0])));
        Assert.Equal((EnginePacketType.Ping, false, ""), (packets[1].Type, packets[1].IsBinary, Text(packets[1])));
        Assert.Equal((EnginePacketType.Message, false, "world"), (packets[2].Type, packets[2].IsBinary, Text(packets[2])));
    }

    [Fact]
    public void Decode_mixed_text_and_base64_binary_packets()
    {
        var packets = new List<DecodedPacket>();

        var error = PayloadCodec.Decode(Latin1("4hello\u001ebAQIDBA==\u001e2probe\u001eb\u001ebAQ=="), packets);

        Assert.Equal(EngineDecodeError.None, error);
        Assert.Equal(5, packets.Count);
        Assert.Equal("hello", Text(packets[0]));
        Assert.False(packets[0].IsBinary);
        Assert.True(packets[1].IsBinary);
        Assert.Equal(EnginePacketType.Message, packets[1].Type);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, packets[1].Data.ToArray());
        Assert.Equal(EnginePacketType.Ping, packets[2].Type);
        Assert.True(packets[2].IsProbe);
        Assert.True(packets[3].IsBinary);
        Assert.True(packets[3].Data.IsEmpty);
        Assert.Equal(new byte[] { 0x01 }, packets[4].Data.ToArray());
    }

    [Fact]
    public void Decode_base64_in_place_overwrites_the_body_and_data_points_into_it()
    {
        var body = Latin1("4a\u001ebAQIDBA==");
        var packets = new List<DecodedPacket>();

        Assert.Equal(EngineDecodeError.None, PayloadCodec.Decode(body, packets));

        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, body[4..8]);
        Assert.True(packets[1].Data.Span.Overlaps(body));
        body[4] = 0x7F;
        Assert.Equal(new byte[] { 0x7F, 0x02, 0x03, 0x04 }, packets[1].Data.ToArray());
        Assert.True(packets[0].Data.Span.Overlaps(body));
    }

    [Fact]
    public void Decode_appends_to_an_existing_list()
    {
        var packets = new List<DecodedPacket> { EnginePacketCodec.DecodeBinaryFrame(new byte[] { 9 }) };

        Assert.Equal(EngineDecodeError.None, PayloadCodec.Decode(Latin1("6"), packets));

        Assert.Equal(2, packets.Count);
        Assert.Equal(EnginePacketType.Noop, packets[1].Type);
    }

    [Fact]
    public void Decode_empty_body_is_EmptyPacket_with_no_packets()
    {
        var packets = new List<DecodedPacket>();

        Assert.Equal(EngineDecodeError.EmptyPacket, PayloadCodec.Decode(Memory<byte>.Empty, packets));
        Assert.Empty(packets);
    }

    [Theory]
    [InlineData("4hello\u001e\u001e4world", EngineDecodeError.EmptyPacket, 1)]
    [InlineData("4hello\u001e", EngineDecodeError.EmptyPacket, 1)]
    [InlineData("\u001e4hello", EngineDecodeError.EmptyPacket, 0)]
    [InlineData("4a\u001e2\u001eabc\u001e4b", EngineDecodeError.UnknownType, 2)]
    [InlineData("7", EngineDecodeError.UnknownType, 0)]
    [InlineData("4a\u001e9", EngineDecodeError.UnknownType, 1)]
    [InlineData("4a\u001eb!!!!\u001e4b", EngineDecodeError.InvalidBase64, 1)]
    [InlineData("bAQIDBA=", EngineDecodeError.InvalidBase64, 0)]
    [InlineData("2\u001e3\u001ebA", EngineDecodeError.InvalidBase64, 2)]
    [InlineData("4a\u001e4\u00ff", EngineDecodeError.InvalidUtf8, 1)]
    public void Decode_error_is_returned_and_packets_before_it_are_kept(string body, object expectedValue, int before)
    {
        var expected = (EngineDecodeError)expectedValue; // the enum is internal; a public theory takes it as object
        var packets = new List<DecodedPacket>();

        var error = PayloadCodec.Decode(Latin1(body), packets);

        Assert.Equal(expected, error);
        Assert.Equal(before, packets.Count);
    }

    [Fact]
    public void Decode_error_keeps_the_earlier_packets_contents()
    {
        var packets = new List<DecodedPacket>();

        var error = PayloadCodec.Decode(Latin1("4first\u001ebAQ==\u001e8bad\u001e4never"), packets);

        Assert.Equal(EngineDecodeError.UnknownType, error);
        Assert.Equal(2, packets.Count);
        Assert.Equal("first", Text(packets[0]));
        Assert.Equal(new byte[] { 0x01 }, packets[1].Data.ToArray());
    }
}
