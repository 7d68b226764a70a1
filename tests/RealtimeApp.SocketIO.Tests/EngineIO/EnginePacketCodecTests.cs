using System.Text;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Single-packet decoding (engine.io-protocol v4 "Packet encoding"): text frames and binary frames.</summary>
public sealed class EnginePacketCodecTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("0{\"sid\":\"x\"}", EnginePacketType.Open, "{\"sid\":\"x\"}")]
    [InlineData("1", EnginePacketType.Close, "")]
    [InlineData("2", EnginePacketType.Ping, "")]
    [InlineData("3", EnginePacketType.Pong, "")]
    [InlineData("4hello", EnginePacketType.Message, "hello")]
    [InlineData("5", EnginePacketType.Upgrade, "")]
    [InlineData("6", EnginePacketType.Noop, "")]
    [InlineData("2probe", EnginePacketType.Ping, "probe")]
    [InlineData("3probe", EnginePacketType.Pong, "probe")]
    [InlineData("4", EnginePacketType.Message, "")]
    [InlineData("44", EnginePacketType.Message, "4")]
    [InlineData("4 spaced text ", EnginePacketType.Message, " spaced text ")]
    public void DecodeText_each_type_digit_yields_that_type_and_the_payload_after_the_digit(
        string wire, EnginePacketType expectedType, string expectedPayload)
    {
        var error = EnginePacketCodec.DecodeText(Utf8(wire), out var packet);

        Assert.Equal(EngineDecodeError.None, error);
        Assert.Equal(expectedType, packet.Type);
        Assert.False(packet.IsBinary);
        Assert.Equal(expectedPayload, Encoding.UTF8.GetString(packet.Data.Span));
    }

    [Fact]
    public void DecodeText_type_digits_map_to_enum_values_0_through_6()
    {
        for (var digit = 0; digit <= 6; digit++)
        {
            var error = EnginePacketCodec.DecodeText(new[] { (byte)('0' + digit) }, out var packet);

            Assert.Equal(EngineDecodeError.None, error);
            Assert.Equal((EnginePacketType)digit, packet.Type);
            Assert.Equal(digit, (int)packet.Type);
            Assert.True(packet.Data.IsEmpty);
        }
    }

    [Fact]
    public void DecodeText_payload_is_a_slice_of_the_input_not_a_copy()
    {
        var buffer = Utf8("4hello");

        EnginePacketCodec.DecodeText(buffer, out var packet);
        buffer[1] = (byte)'J';

        Assert.Equal("Jello", Encoding.UTF8.GetString(packet.Data.Span));
    }

    [Fact]
    public void DecodeText_multibyte_utf8_payload_is_kept_byte_for_byte()
    {
        var wire = Utf8("4€ 😀 ü");

        var error = EnginePacketCodec.DecodeText(wire, out var packet);

        Assert.Equal(EngineDecodeError.None, error);
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.Equal(wire[1..], packet.Data.ToArray());
        Assert.Equal("€ 😀 ü", Encoding.UTF8.GetString(packet.Data.Span));
    }

    [Theory]
    [InlineData("2probe", true)]
    [InlineData("3probe", true)]
    [InlineData("2", false)]
    [InlineData("3", false)]
    [InlineData("2prob", false)]
    [InlineData("2probes", false)]
    [InlineData("2Probe", false)]
    public void IsProbe_is_true_exactly_when_the_text_payload_is_probe(string wire, bool expected)
    {
        Assert.Equal(EngineDecodeError.None, EnginePacketCodec.DecodeText(Utf8(wire), out var packet));

        Assert.Equal(expected, packet.IsProbe);
    }

    [Fact]
    public void IsProbe_is_false_for_binary_data_spelling_probe()
    {
        var packet = EnginePacketCodec.DecodeBinaryFrame(Utf8("probe"));

        Assert.False(packet.IsProbe);
    }

    [Fact]
    public void DecodeText_empty_input_is_EmptyPacket_error_and_default_packet()
    {
        var error = EnginePacketCodec.DecodeText(ReadOnlyMemory<byte>.Empty, out var packet);

        Assert.Equal(EngineDecodeError.EmptyPacket, error);
        Assert.Equal(default(DecodedPacket), packet);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("8")]
    [InlineData("9")]
    [InlineData("abc")]
    [InlineData("b")]
    [InlineData("bAQIDBA==")]
    [InlineData("/")]
    [InlineData(" 4hello")]
    [InlineData("{\"a\":1}")]
    [InlineData("\u001e")]
    public void DecodeText_unknown_first_character_is_UnknownType_error(string wire)
    {
        var error = EnginePacketCodec.DecodeText(Utf8(wire), out var packet);

        Assert.Equal(EngineDecodeError.UnknownType, error);
        Assert.Equal(default(DecodedPacket), packet);
    }

    [Theory]
    [InlineData(new byte[] { 0x34, 0xFF })]
    [InlineData(new byte[] { 0x34, 0x68, 0xC3 })]
    [InlineData(new byte[] { 0x34, 0xC0, 0x80 })]
    [InlineData(new byte[] { 0x34, 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0x32, 0x80, 0x70 })]
    public void DecodeText_invalid_utf8_after_a_valid_digit_is_InvalidUtf8_error(byte[] wire)
    {
        var error = EnginePacketCodec.DecodeText(wire, out var packet);

        Assert.Equal(EngineDecodeError.InvalidUtf8, error);
        Assert.Equal(default(DecodedPacket), packet);
    }

    [Fact]
    public void DecodeText_non_digit_invalid_byte_first_is_UnknownType_rather_than_InvalidUtf8()
    {
        var error = EnginePacketCodec.DecodeText(new byte[] { 0xFF, 0x34 }, out _);

        Assert.Equal(EngineDecodeError.UnknownType, error);
    }

    [Fact]
    public void DecodeBinaryFrame_is_a_binary_message_whose_data_is_the_whole_frame()
    {
        var frame = new byte[] { 0x01, 0x02, 0x03, 0x04 };

        var packet = EnginePacketCodec.DecodeBinaryFrame(frame);

        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.True(packet.IsBinary);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, packet.Data.ToArray());
    }

    [Fact]
    public void DecodeBinaryFrame_does_not_strip_a_leading_type_digit()
    {
        var packet = EnginePacketCodec.DecodeBinaryFrame(Utf8("4hello"));

        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.True(packet.IsBinary);
        Assert.Equal(Utf8("4hello"), packet.Data.ToArray());
    }

    [Fact]
    public void DecodeBinaryFrame_accepts_bytes_that_are_not_utf8_and_an_empty_frame()
    {
        var invalid = EnginePacketCodec.DecodeBinaryFrame(new byte[] { 0xFF, 0x00, 0xC3 });
        var empty = EnginePacketCodec.DecodeBinaryFrame(ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new byte[] { 0xFF, 0x00, 0xC3 }, invalid.Data.ToArray());
        Assert.True(invalid.IsBinary);
        Assert.True(empty.IsBinary);
        Assert.Equal(EnginePacketType.Message, empty.Type);
        Assert.True(empty.Data.IsEmpty);
    }
}
