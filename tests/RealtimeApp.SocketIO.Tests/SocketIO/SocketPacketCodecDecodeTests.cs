using System.Text;
using System.Text.Json;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>
/// Decoding the Socket.IO v5 text form <c>&lt;type&gt;[&lt;n&gt;-][&lt;nsp&gt;,][&lt;ack id&gt;][&lt;JSON&gt;]</c>
/// (strings here are the Socket.IO part only, without the Engine.IO <c>4</c> prefix).
/// </summary>
public sealed class SocketPacketCodecDecodeTests
{
    private const string P0 = "{\"_placeholder\":true,\"num\":0}";
    private const string P1 = "{\"_placeholder\":true,\"num\":1}";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static SocketPacket DecodeOk(string wire)
    {
        var error = SocketPacketCodec.Decode(Utf8(wire), out var packet);
        Assert.Equal(SocketDecodeError.None, error);
        Assert.NotNull(packet);
        return packet;
    }

    [Theory]
    [InlineData("0", SocketPacketType.Connect, "/", null, 0, "")]
    [InlineData("0{\"token\":\"123\"}", SocketPacketType.Connect, "/", null, 0, "{\"token\":\"123\"}")]
    [InlineData("0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", SocketPacketType.Connect, "/", null, 0, "{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}")]
    [InlineData("0/custom", SocketPacketType.Connect, "/custom", null, 0, "")]
    [InlineData("0/custom,", SocketPacketType.Connect, "/custom", null, 0, "")]
    [InlineData("0/custom,{\"token\":\"abc\"}", SocketPacketType.Connect, "/custom", null, 0, "{\"token\":\"abc\"}")]
    [InlineData("1", SocketPacketType.Disconnect, "/", null, 0, "")]
    [InlineData("1/admin,", SocketPacketType.Disconnect, "/admin", null, 0, "")]
    [InlineData("1/admin", SocketPacketType.Disconnect, "/admin", null, 0, "")]
    [InlineData("2[\"hey\",\"Jude\"]", SocketPacketType.Event, "/", null, 0, "[\"hey\",\"Jude\"]")]
    [InlineData("2/admin,1[\"tellme\"]", SocketPacketType.Event, "/admin", 1L, 0, "[\"tellme\"]")]
    [InlineData("2/admin,[\"tellme\"]", SocketPacketType.Event, "/admin", null, 0, "[\"tellme\"]")]
    [InlineData("212[\"foo\"]", SocketPacketType.Event, "/", 12L, 0, "[\"foo\"]")]
    [InlineData("20[\"zero\"]", SocketPacketType.Event, "/", 0L, 0, "[\"zero\"]")]
    [InlineData("2[42,\"numeric name\"]", SocketPacketType.Event, "/", null, 0, "[42,\"numeric name\"]")]
    [InlineData("3456[1,\"2\",{\"3\":[false]}]", SocketPacketType.Ack, "/", 456L, 0, "[1,\"2\",{\"3\":[false]}]")]
    [InlineData("3/admin,13[\"bar\"]", SocketPacketType.Ack, "/admin", 13L, 0, "[\"bar\"]")]
    [InlineData("30[]", SocketPacketType.Ack, "/", 0L, 0, "[]")]
    [InlineData("4/random,{\"message\":\"Invalid namespace\"}", SocketPacketType.ConnectError, "/random", null, 0, "{\"message\":\"Invalid namespace\"}")]
    [InlineData("4{\"message\":\"nope\",\"data\":{\"a\":1}}", SocketPacketType.ConnectError, "/", null, 0, "{\"message\":\"nope\",\"data\":{\"a\":1}}")]
    [InlineData("4\"str\"", SocketPacketType.ConnectError, "/", null, 0, "\"str\"")]
    [InlineData("52-[\"message-back\"," + P0 + "," + P1 + "]", SocketPacketType.BinaryEvent, "/", null, 2, "[\"message-back\"," + P0 + "," + P1 + "]")]
    [InlineData("51-/admin,7[\"up\"," + P0 + "]", SocketPacketType.BinaryEvent, "/admin", 7L, 1, "[\"up\"," + P0 + "]")]
    [InlineData("50-[\"none\"]", SocketPacketType.BinaryEvent, "/", null, 0, "[\"none\"]")]
    [InlineData("510-[\"ten\"]", SocketPacketType.BinaryEvent, "/", null, 10, "[\"ten\"]")]
    [InlineData("62-789[" + P0 + "," + P1 + "]", SocketPacketType.BinaryAck, "/", 789L, 2, "[" + P0 + "," + P1 + "]")]
    [InlineData("61-/nsp,0[" + P0 + "]", SocketPacketType.BinaryAck, "/nsp", 0L, 1, "[" + P0 + "]")]
    public void Decode_valid_packets_yield_every_field(
        string wire, object typeValue, string nsp, long? ackId, int attachments, string payload)
    {
        var type = (SocketPacketType)typeValue; // the enum is internal; a public theory takes it as object
        var packet = DecodeOk(wire);

        Assert.Equal(type, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(ackId, packet.AckId);
        Assert.Equal(attachments, packet.AttachmentCount);
        Assert.Equal(Utf8(payload), packet.Payload.ToArray());
        Assert.Empty(packet.Attachments);
        Assert.Equal(attachments == 0, packet.IsComplete);
        if (payload.Length == 0)
        {
            Assert.Null(packet.Data);
        }
        else
        {
            Assert.Equal(payload, packet.Data!.Value.GetRawText());
        }
    }

    [Fact]
    public void Decode_event_data_is_the_parsed_array()
    {
        var packet = DecodeOk("2/admin,1[\"tellme\",3,{\"k\":[true,null]}]");

        var data = packet.Data!.Value;
        Assert.Equal(JsonValueKind.Array, data.ValueKind);
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal("tellme", data[0].GetString());
        Assert.Equal(3, data[1].GetInt32());
        Assert.Equal(JsonValueKind.True, data[2].GetProperty("k")[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, data[2].GetProperty("k")[1].ValueKind);
    }

    [Theory]
    [InlineData("2", 9_007_199_254_740_991L)]
    [InlineData("3", 9_007_199_254_740_991L)]
    [InlineData("2", 1_234_567_890_123L)]
    [InlineData("3", 4_294_967_296L)]
    [InlineData("2", 2_147_483_648L)]
    public void Decode_large_ack_ids_up_to_max_safe_integer_are_exact(string typeDigit, long id)
    {
        var packet = DecodeOk(typeDigit + id + "[\"x\"]");

        Assert.Equal(id, packet.AckId);
        Assert.Equal(Utf8("[\"x\"]"), packet.Payload.ToArray());
    }

    [Theory]
    [InlineData("29007199254740992[\"x\"]")]
    [InlineData("39007199254740992[]")]
    [InlineData("2/admin,9007199254740992[\"x\"]")]
    [InlineData("39223372036854775807[]")]
    [InlineData("39223372036854775808[]")]
    [InlineData("299999999999999999999999[\"x\"]")]
    [InlineData("61-99999999999999999999[" + P0 + "]")]
    public void Decode_ack_id_above_max_safe_integer_is_InvalidAckId(string wire)
    {
        var error = SocketPacketCodec.Decode(Utf8(wire), out var packet);

        Assert.Equal(SocketDecodeError.InvalidAckId, error);
        Assert.Null(packet);
    }

    [Theory]
    [InlineData("2[\"n\",1.0,1e2,-0,0.10,{\"z\":1,\"a\":2,\"m\":[]}]")]
    [InlineData("3/admin,5[{\"b\":2.50,\"a\":1E+3}]")]
    [InlineData("0{\"z\":\"\\u00e9\\n\",\"a\":\"\u20ac\ud83d\ude00\"}")]
    [InlineData("4/x,{\"message\":\"caf\u00e9\",\"data\":{\"y\":1,\"x\":0.0}}")]
    public void Decode_payload_is_the_exact_input_json_bytes(string wire)
    {
        var bytes = Utf8(wire);
        var start = wire.IndexOfAny(['[', '{', '"']);
        var expected = Encoding.UTF8.GetBytes(wire[start..]);

        var error = SocketPacketCodec.Decode(bytes, out var packet);

        Assert.Equal(SocketDecodeError.None, error);
        Assert.Equal(expected, packet!.Payload.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(expected), packet.Data!.Value.GetRawText());
    }

    [Fact]
    public void Decode_payload_and_data_are_a_copy_of_the_input_buffer()
    {
        var buffer = Utf8("2/admin,3[\"hello\",{\"n\":1.0}]");
        var original = Utf8("[\"hello\",{\"n\":1.0}]");

        Assert.Equal(SocketDecodeError.None, SocketPacketCodec.Decode(buffer, out var packet));
        buffer.AsSpan().Fill((byte)'X');

        Assert.Equal(original, packet!.Payload.ToArray());
        Assert.Equal("hello", packet.Data!.Value[0].GetString());
        Assert.Equal("{\"n\":1.0}", packet.Data.Value[1].GetRawText());
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(3L, packet.AckId);
    }

    [Fact]
    public void Decode_non_ascii_namespace_and_payload()
    {
        var packet = DecodeOk("2/\u00fcn\u00ef\u20ac,7[\"\u20ac\",\"\ud83d\ude00\"]");

        Assert.Equal("/\u00fcn\u00ef\u20ac", packet.Namespace);
        Assert.Equal(7L, packet.AckId);
        Assert.Equal(Utf8("[\"\u20ac\",\"\ud83d\ude00\"]"), packet.Payload.ToArray());
        Assert.Equal("\ud83d\ude00", packet.Data!.Value[1].GetString());
    }

    [Theory]
    [InlineData("", SocketDecodeError.UnknownType)]
    [InlineData("7", SocketDecodeError.UnknownType)]
    [InlineData("7[\"x\"]", SocketDecodeError.UnknownType)]
    [InlineData("9", SocketDecodeError.UnknownType)]
    [InlineData("a", SocketDecodeError.UnknownType)]
    [InlineData("abc", SocketDecodeError.UnknownType)]
    [InlineData("/admin,", SocketDecodeError.UnknownType)]
    [InlineData("[\"x\"]", SocketDecodeError.UnknownType)]
    [InlineData("5-[\"x\"]", SocketDecodeError.InvalidAttachmentCount)]
    [InlineData("5x-[\"x\"]", SocketDecodeError.InvalidAttachmentCount)]
    [InlineData("5[\"x\"]", SocketDecodeError.InvalidAttachmentCount)]
    [InlineData("5", SocketDecodeError.InvalidAttachmentCount)]
    [InlineData("6-1[]", SocketDecodeError.InvalidAttachmentCount)]
    [InlineData("51x-[\"x\"]", SocketDecodeError.InvalidAttachmentCount)]
    [InlineData("511-[\"x\"]", SocketDecodeError.TooManyAttachments)]
    [InlineData("699-1[]", SocketDecodeError.TooManyAttachments)]
    [InlineData("2{}", SocketDecodeError.InvalidPayload)]
    [InlineData("2[]", SocketDecodeError.InvalidPayload)]
    [InlineData("2[{}]", SocketDecodeError.InvalidPayload)]
    [InlineData("2[null]", SocketDecodeError.InvalidPayload)]
    [InlineData("2[true,1]", SocketDecodeError.InvalidPayload)]
    [InlineData("2[[\"x\"]]", SocketDecodeError.InvalidPayload)]
    [InlineData("2\"x\"", SocketDecodeError.InvalidPayload)]
    [InlineData("2", SocketDecodeError.InvalidPayload)]
    [InlineData("2/admin,", SocketDecodeError.InvalidPayload)]
    [InlineData("50-[]", SocketDecodeError.InvalidPayload)]
    [InlineData("51-{}", SocketDecodeError.InvalidPayload)]
    [InlineData("2[\"connect\"]", SocketDecodeError.ReservedEventName)]
    [InlineData("2[\"connect_error\",1]", SocketDecodeError.ReservedEventName)]
    [InlineData("2/admin,[\"disconnect\"]", SocketDecodeError.ReservedEventName)]
    [InlineData("21[\"disconnecting\"]", SocketDecodeError.ReservedEventName)]
    [InlineData("2[\"newListener\"]", SocketDecodeError.ReservedEventName)]
    [InlineData("2[\"removeListener\"]", SocketDecodeError.ReservedEventName)]
    [InlineData("51-[\"connect\"," + P0 + "]", SocketDecodeError.ReservedEventName)]
    [InlineData("2abc[\"x\"]", SocketDecodeError.InvalidJson)]
    [InlineData("2[", SocketDecodeError.InvalidJson)]
    [InlineData("2[\"x\"", SocketDecodeError.InvalidJson)]
    [InlineData("2[\"x\"]]", SocketDecodeError.InvalidJson)]
    [InlineData("2['x']", SocketDecodeError.InvalidJson)]
    [InlineData("0{", SocketDecodeError.InvalidJson)]
    [InlineData("0{\"a\":1,}", SocketDecodeError.InvalidJson)]
    [InlineData("2[\"\\udc00\"]", SocketDecodeError.InvalidJson)] // lone surrogate escapes (fuzz/regressions/socket-packet)
    [InlineData("2[\"x\",\"\\ud800\"]", SocketDecodeError.InvalidJson)]
    [InlineData("51-[\"ev\",{\"\\ud800x\":1}]", SocketDecodeError.InvalidJson)]
    [InlineData("0\"str\"", SocketDecodeError.InvalidPayload)]
    [InlineData("0[]", SocketDecodeError.InvalidPayload)]
    [InlineData("0/custom,null", SocketDecodeError.InvalidPayload)]
    [InlineData("1{}", SocketDecodeError.InvalidPayload)]
    [InlineData("1[]", SocketDecodeError.InvalidPayload)]
    [InlineData("1/admin,\"bye\"", SocketDecodeError.InvalidPayload)]
    [InlineData("3[]", SocketDecodeError.InvalidPayload)]
    [InlineData("3[\"x\"]", SocketDecodeError.InvalidPayload)]
    [InlineData("3/admin,[]", SocketDecodeError.InvalidPayload)]
    [InlineData("3", SocketDecodeError.InvalidPayload)]
    [InlineData("31", SocketDecodeError.InvalidPayload)]
    [InlineData("31{}", SocketDecodeError.InvalidPayload)]
    [InlineData("62-[" + P0 + "," + P1 + "]", SocketDecodeError.InvalidPayload)]
    [InlineData("4", SocketDecodeError.InvalidPayload)]
    [InlineData("4[]", SocketDecodeError.InvalidPayload)]
    [InlineData("4/random,", SocketDecodeError.InvalidPayload)]
    public void Decode_invalid_packets_return_the_error_and_no_packet(string wire, object expectedValue)
    {
        var expected = (SocketDecodeError)expectedValue; // the enum is internal; a public theory takes it as object
        var error = SocketPacketCodec.Decode(Utf8(wire), out var packet);

        Assert.Equal(expected, error);
        Assert.Null(packet);
    }

    [Fact]
    public void Decode_text_that_is_not_utf8_is_invalid_json()
    {
        // Found by the fuzzer (fuzz/regressions/socket-packet): System.Text.Json parsed it, GetString() threw.
        byte[][] wires = [[.. "2[\""u8, 0x83, .. "\"]"u8], [.. "0/a"u8, 0xFF, .. ",{}"u8], [.. "51-[\"\",{\"\":true,\""u8, 0x94, .. "\":0}]"u8]];
        foreach (var wire in wires)
        {
            Assert.Equal(SocketDecodeError.InvalidJson, SocketPacketCodec.Decode(wire, out var packet));
            Assert.Null(packet);
        }
    }

    [Theory]
    [InlineData("2[\"\\ud83d\\ude00\"]", "\ud83d\ude00")]
    [InlineData("2[\"a\\u0000b\\n\\\\udc00\"]", "a\0b\n\\udc00")]
    public void Decode_reads_valid_escapes(string wire, string expectedName)
    {
        var packet = DecodeOk(wire);

        Assert.Equal(expectedName, packet.Data!.Value[0].GetString());
    }

    [Theory]
    [InlineData(2, SocketDecodeError.TooManyAttachments)]
    [InlineData(3, SocketDecodeError.None)]
    [InlineData(0, SocketDecodeError.TooManyAttachments)]
    public void Decode_honours_a_custom_max_attachments(int max, object expectedValue)
    {
        var expected = (SocketDecodeError)expectedValue; // the enum is internal; a public theory takes it as object
        var wire = Utf8("53-[\"e\"," + P0 + "," + P1 + ",{\"_placeholder\":true,\"num\":2}]");

        var error = SocketPacketCodec.Decode(wire, out var packet, max);

        Assert.Equal(expected, error);
        Assert.Equal(expected == SocketDecodeError.None, packet is not null);
        if (packet is not null)
        {
            Assert.Equal(3, packet.AttachmentCount);
        }
    }
}
