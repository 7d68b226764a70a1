using System.Runtime.InteropServices;
using System.Text;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Outgoing packets: the WebSocket frame and the polling segment, byte for byte.</summary>
public sealed class EnginePacketTests
{
    private static string Ascii(ReadOnlyMemory<byte> bytes) => Encoding.ASCII.GetString(bytes.Span);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData(EnginePacketType.Open, "0")]
    [InlineData(EnginePacketType.Close, "1")]
    [InlineData(EnginePacketType.Ping, "2")]
    [InlineData(EnginePacketType.Pong, "3")]
    [InlineData(EnginePacketType.Message, "4")]
    [InlineData(EnginePacketType.Upgrade, "5")]
    [InlineData(EnginePacketType.Noop, "6")]
    public void Text_without_payload_frame_is_the_single_type_digit(EnginePacketType type, string expected)
    {
        var packet = EnginePacket.Text(type);

        Assert.Equal(Utf8(expected), packet.Frame.ToArray());
        Assert.Equal(type, packet.Type);
        Assert.False(packet.IsBinary);
    }

    [Theory]
    [InlineData(EnginePacketType.Open, "{}", "0{}")]
    [InlineData(EnginePacketType.Close, "x", "1x")]
    [InlineData(EnginePacketType.Ping, "probe", "2probe")]
    [InlineData(EnginePacketType.Pong, "probe", "3probe")]
    [InlineData(EnginePacketType.Message, "hello", "4hello")]
    [InlineData(EnginePacketType.Upgrade, "", "5")]
    [InlineData(EnginePacketType.Noop, "abc", "6abc")]
    public void Text_with_string_and_with_utf8_payload_give_digit_followed_by_payload(
        EnginePacketType type, string payload, string expected)
    {
        var fromString = EnginePacket.Text(type, payload);
        var fromBytes = EnginePacket.Text(type, Utf8(payload).AsSpan());

        Assert.Equal(Utf8(expected), fromString.Frame.ToArray());
        Assert.Equal(Utf8(expected), fromBytes.Frame.ToArray());
        Assert.Equal(type, fromString.Type);
        Assert.Equal(type, fromBytes.Type);
    }

    [Fact]
    public void Message_string_frame_is_4_then_text()
    {
        var packet = EnginePacket.Message("hello");

        Assert.Equal("4hello", Ascii(packet.Frame));
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.False(packet.IsBinary);
    }

    [Fact]
    public void Message_utf8_bytes_frame_is_4_then_bytes_copied()
    {
        var source = Utf8("hi");

        var packet = EnginePacket.Message(source.AsSpan());
        source[0] = (byte)'X';

        Assert.Equal("4hi", Ascii(packet.Frame));
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.False(packet.IsBinary);
    }

    [Fact]
    public void Message_empty_string_frame_is_just_4()
    {
        Assert.Equal("4", Ascii(EnginePacket.Message("").Frame));
    }

    [Fact]
    public void Message_euro_sign_is_encoded_as_utf8()
    {
        var packet = EnginePacket.Message("€");

        Assert.Equal(new byte[] { 0x34, 0xE2, 0x82, 0xAC }, packet.Frame.ToArray());
    }

    [Fact]
    public void Message_emoji_is_encoded_as_four_byte_utf8_not_surrogates()
    {
        var packet = EnginePacket.Message("a😀");

        Assert.Equal(new byte[] { 0x34, 0x61, 0xF0, 0x9F, 0x98, 0x80 }, packet.Frame.ToArray());
    }

    [Theory]
    [InlineData("€")]
    [InlineData("😀")]
    [InlineData("héllo wörld ✓ 日本語 🎉👍")]
    public void Message_non_ascii_text_round_trips_through_the_decoder(string text)
    {
        var packet = EnginePacket.Message(text);

        Assert.Equal(EngineDecodeError.None, EnginePacketCodec.DecodeText(packet.Frame, out var decoded));

        Assert.Equal(EnginePacketType.Message, decoded.Type);
        Assert.False(decoded.IsBinary);
        Assert.Equal(text, Encoding.UTF8.GetString(decoded.Data.Span));
    }

    [Fact]
    public void Statics_have_the_exact_control_frames()
    {
        Assert.Equal("2", Ascii(EnginePacket.Ping.Frame));
        Assert.Equal(EnginePacketType.Ping, EnginePacket.Ping.Type);
        Assert.Equal("6", Ascii(EnginePacket.Noop.Frame));
        Assert.Equal(EnginePacketType.Noop, EnginePacket.Noop.Type);
        Assert.Equal("1", Ascii(EnginePacket.Close.Frame));
        Assert.Equal(EnginePacketType.Close, EnginePacket.Close.Type);
        Assert.Equal("3probe", Ascii(EnginePacket.PongProbe.Frame));
        Assert.Equal(EnginePacketType.Pong, EnginePacket.PongProbe.Type);
        Assert.False(EnginePacket.Ping.IsBinary);
        Assert.False(EnginePacket.Noop.IsBinary);
        Assert.False(EnginePacket.Close.IsBinary);
        Assert.False(EnginePacket.PongProbe.IsBinary);
    }

    [Fact]
    public void Binary_frame_is_the_raw_bytes_with_no_prefix()
    {
        var packet = EnginePacket.Binary(new byte[] { 0x01, 0x02, 0x03, 0x04 });

        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, packet.Frame.ToArray());
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.True(packet.IsBinary);
    }

    [Theory]
    [InlineData(new byte[0], "b")]
    [InlineData(new byte[] { 0x01 }, "bAQ==")]
    [InlineData(new byte[] { 0x01, 0x02 }, "bAQI=")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 }, "bAQID")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x04 }, "bAQIDBA==")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0xFD }, "b//79")]
    [InlineData(new byte[] { 0xFB, 0xFF }, "b+/8=")]
    [InlineData(new byte[] { 0x34, 0x68, 0x69 }, "bNGhp")]
    public void Binary_polling_segment_is_b_then_padded_standard_base64(byte[] data, string expected)
    {
        var packet = EnginePacket.Binary(data);

        Assert.Equal(expected, Ascii(packet.PollingSegment));
    }

    [Fact]
    public void Binary_polling_segment_of_large_data_matches_Convert_ToBase64String()
    {
        var data = new byte[1000];
        new Random(1234).NextBytes(data);

        var segment = Ascii(EnginePacket.Binary(data).PollingSegment);

        Assert.Equal("b" + Convert.ToBase64String(data), segment);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("€😀")]
    public void Text_polling_segment_equals_the_frame(string text)
    {
        var packet = EnginePacket.Message(text);

        Assert.Equal(packet.Frame.ToArray(), packet.PollingSegment.ToArray());
        Assert.Equal(Utf8("4" + text), packet.PollingSegment.ToArray());
    }

    [Fact]
    public void Static_polling_segments_equal_their_frames()
    {
        Assert.Equal("2", Ascii(EnginePacket.Ping.PollingSegment));
        Assert.Equal("6", Ascii(EnginePacket.Noop.PollingSegment));
        Assert.Equal("1", Ascii(EnginePacket.Close.PollingSegment));
        Assert.Equal("3probe", Ascii(EnginePacket.PongProbe.PollingSegment));
    }

    [Fact]
    public void Binary_polling_segment_is_cached_same_array_and_contents_on_repeated_calls()
    {
        var packet = EnginePacket.Binary(new byte[] { 0x01, 0x02, 0x03, 0x04 });

        var first = packet.PollingSegment;
        var second = packet.PollingSegment;

        Assert.True(MemoryMarshal.TryGetArray(first, out var firstArray));
        Assert.True(MemoryMarshal.TryGetArray(second, out var secondArray));
        Assert.Same(firstArray.Array, secondArray.Array);
        Assert.Equal(firstArray.Offset, secondArray.Offset);
        Assert.Equal(first.Length, second.Length);
        Assert.Equal("bAQIDBA==", Ascii(second));
    }

    [Fact]
    public void Text_polling_segment_is_the_same_memory_as_the_frame_on_repeated_calls()
    {
        var packet = EnginePacket.Message("hello");

        Assert.True(MemoryMarshal.TryGetArray(packet.Frame, out var frame));
        Assert.True(MemoryMarshal.TryGetArray(packet.PollingSegment, out var first));
        Assert.True(MemoryMarshal.TryGetArray(packet.PollingSegment, out var second));
        Assert.Same(frame.Array, first.Array);
        Assert.Same(first.Array, second.Array);
        Assert.Equal("4hello", Ascii(packet.PollingSegment));
    }

    [Fact]
    public void Binary_polling_segment_base64_decodes_back_to_the_frame_bytes()
    {
        var data = new byte[] { 0x00, 0x1E, 0x62, 0xFF, 0x34 };
        var packet = EnginePacket.Binary(data);

        var segment = Ascii(packet.PollingSegment);

        Assert.StartsWith("b", segment, StringComparison.Ordinal);
        Assert.Equal(data, Convert.FromBase64String(segment[1..]));
        Assert.Equal(data, packet.Frame.ToArray());
    }
}
