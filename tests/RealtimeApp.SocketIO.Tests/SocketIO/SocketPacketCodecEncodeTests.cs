using System.Text;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>
/// Encoding the Socket.IO v5 text form: namespace only when not <c>/</c> and then always followed by a comma,
/// <c>&lt;n&gt;-</c> only for BINARY_*; and Encode→Decode round trips.
/// </summary>
public sealed class SocketPacketCodecEncodeTests
{
    private const string P0 = "{\"_placeholder\":true,\"num\":0}";
    private const string P1 = "{\"_placeholder\":true,\"num\":1}";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static void AssertEncodes(string expected, SocketPacketType type, string nsp, long? ackId, string json, int attachments = 0)
    {
        var bytes = SocketPacketCodec.Encode(type, nsp, ackId, Utf8(json), attachments);

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(Utf8(expected), bytes);
    }

    [Fact]
    public void Encode_connect_reply_with_sid_on_main_namespace()
    {
        AssertEncodes("0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", SocketPacketType.Connect, "/", null, "{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}");
    }

    [Fact]
    public void Encode_connect_reply_with_sid_on_custom_namespace_adds_the_comma()
    {
        AssertEncodes("0/custom,{\"sid\":\"x\"}", SocketPacketType.Connect, "/custom", null, "{\"sid\":\"x\"}");
    }

    [Theory]
    [InlineData("0", SocketPacketType.Connect, "/")]
    [InlineData("0/custom,", SocketPacketType.Connect, "/custom")]
    [InlineData("1", SocketPacketType.Disconnect, "/")]
    [InlineData("1/admin,", SocketPacketType.Disconnect, "/admin")]
    public void Encode_without_payload_writes_type_and_namespace_with_comma(string expected, object typeValue, string nsp)
    {
        var type = (SocketPacketType)typeValue; // the enum is internal; a public theory takes it as object
        AssertEncodes(expected, type, nsp, null, "");
    }

    [Theory]
    [InlineData("2[\"hey\",\"Jude\"]", "/", null, "[\"hey\",\"Jude\"]")]
    [InlineData("212[\"foo\"]", "/", 12L, "[\"foo\"]")]
    [InlineData("2/admin,1[\"tellme\"]", "/admin", 1L, "[\"tellme\"]")]
    [InlineData("20[\"zero\"]", "/", 0L, "[\"zero\"]")]
    [InlineData("29007199254740991[\"max\"]", "/", 9_007_199_254_740_991L, "[\"max\"]")]
    [InlineData("2/a/b,42[1.0,{\"z\":1,\"a\":2}]", "/a/b", 42L, "[1.0,{\"z\":1,\"a\":2}]")]
    public void Encode_event(string expected, string nsp, long? ackId, string json)
    {
        AssertEncodes(expected, SocketPacketType.Event, nsp, ackId, json);
    }

    [Theory]
    [InlineData("3456[1,\"2\",{\"3\":[false]}]", "/", 456L, "[1,\"2\",{\"3\":[false]}]")]
    [InlineData("3/admin,13[\"bar\"]", "/admin", 13L, "[\"bar\"]")]
    [InlineData("30[]", "/", 0L, "[]")]
    public void Encode_ack(string expected, string nsp, long ackId, string json)
    {
        AssertEncodes(expected, SocketPacketType.Ack, nsp, ackId, json);
    }

    [Fact]
    public void Encode_connect_error_on_namespace()
    {
        AssertEncodes("4/random,{\"message\":\"Invalid namespace\"}", SocketPacketType.ConnectError, "/random", null,
            "{\"message\":\"Invalid namespace\"}");
    }

    [Fact]
    public void Encode_binary_event_prefixes_attachment_count_and_dash()
    {
        var json = "[\"message-back\"," + P0 + "," + P1 + "]";
        AssertEncodes("52-" + json, SocketPacketType.BinaryEvent, "/", null, json, 2);
    }

    [Fact]
    public void Encode_binary_ack_with_namespace_and_ack_id()
    {
        var json = "[" + P0 + "," + P1 + "]";
        AssertEncodes("62-/nsp,789" + json, SocketPacketType.BinaryAck, "/nsp", 789L, json, 2);
    }

    [Theory]
    [InlineData(0, "50-")]
    [InlineData(1, "51-")]
    [InlineData(10, "510-")]
    [InlineData(123, "5123-")]
    public void Encode_binary_event_attachment_count_is_decimal(int attachments, string prefix)
    {
        AssertEncodes(prefix + "/x,7[\"e\"]", SocketPacketType.BinaryEvent, "/x", 7L, "[\"e\"]", attachments);
    }

    [Fact]
    public void Encode_non_ascii_namespace_and_payload_as_utf8()
    {
        const string nsp = "/\u00fcn\u00ef\u20ac\ud83d\ude00";
        const string json = "[\"\u20ac\",\"\ud83d\ude00\",\"\u65e5\u672c\"]";

        var bytes = SocketPacketCodec.Encode(SocketPacketType.Event, nsp, 3, Utf8(json));

        var expected = new List<byte> { (byte)'2' };
        expected.AddRange(Utf8(nsp));
        expected.Add((byte)',');
        expected.Add((byte)'3');
        expected.AddRange(Utf8(json));
        Assert.Equal(expected.ToArray(), bytes);
        Assert.Equal("2" + nsp + ",3" + json, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Encode_does_not_alter_payload_bytes()
    {
        // Not even invalid UTF-8 or odd JSON is rewritten: the payload is copied verbatim.
        byte[] json = [(byte)'[', (byte)'"', 0xC3, 0xA9, (byte)'"', (byte)',', (byte)'1', (byte)'.', (byte)'0', (byte)']'];

        var bytes = SocketPacketCodec.Encode(SocketPacketType.Ack, "/", 5, json);

        Assert.Equal([(byte)'3', (byte)'5', .. json], bytes);
    }

    public static TheoryData<object, string, long?, string, int> RoundTripCases()
    {
        var data = new TheoryData<object, string, long?, string, int>();
        string[] namespaces = ["/", "/admin", "/a/b-c_d", "/\u00fcn\u00ef\u20ac"];
        long?[] ids = [null, 0, 1, 789, 9_007_199_254_740_991];
        foreach (var nsp in namespaces)
        {
            data.Add(SocketPacketType.Connect, nsp, null, "", 0);
            data.Add(SocketPacketType.Connect, nsp, null, "{\"sid\":\"abc\",\"pid\":\"p\"}", 0);
            data.Add(SocketPacketType.Disconnect, nsp, null, "", 0);
            data.Add(SocketPacketType.ConnectError, nsp, null, "{\"message\":\"Invalid namespace\"}", 0);
            data.Add(SocketPacketType.ConnectError, nsp, null, "\"plain \u20ac\"", 0);
            foreach (var id in ids)
            {
                data.Add(SocketPacketType.Event, nsp, id, "[\"ev\",1.0,{\"z\":null,\"a\":[true]},\"\ud83d\ude00\"]", 0);
                data.Add(SocketPacketType.Event, nsp, id, "[7]", 0);
                data.Add(SocketPacketType.BinaryEvent, nsp, id, "[\"bin\"," + P0 + "," + P1 + "]", 2);
                data.Add(SocketPacketType.BinaryEvent, nsp, id, "[\"none\"]", 0);
                if (id is not null)
                {
                    data.Add(SocketPacketType.Ack, nsp, id, "[]", 0);
                    data.Add(SocketPacketType.Ack, nsp, id, "[1,\"2\",{\"3\":[false]}]", 0);
                    data.Add(SocketPacketType.BinaryAck, nsp, id, "[" + P0 + "]", 1);
                    data.Add(SocketPacketType.BinaryAck, nsp, id, "[{\"deep\":[" + P1 + "," + P0 + "]}]", 10);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Round_trip_encode_then_decode_keeps_every_field(
        object typeValue, string nsp, long? ackId, string json, int attachments)
    {
        var type = (SocketPacketType)typeValue; // the enum is internal; a public theory takes it as object
        var wire = SocketPacketCodec.Encode(type, nsp, ackId, Utf8(json), attachments);

        var error = SocketPacketCodec.Decode(wire, out var packet);

        Assert.Equal(SocketDecodeError.None, error);
        Assert.NotNull(packet);
        Assert.Equal(type, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(ackId, packet.AckId);
        Assert.Equal(attachments, packet.AttachmentCount);
        Assert.Equal(Utf8(json), packet.Payload.ToArray());

        // And re-encoding the decoded packet gives the same bytes again (byte-exact echo).
        var again = SocketPacketCodec.Encode(packet.Type, packet.Namespace, packet.AckId, packet.Payload.Span, packet.AttachmentCount);
        Assert.Equal(wire, again);
    }

    [Theory]
    [InlineData("0/custom", "0/custom,")]
    [InlineData("1/admin", "1/admin,")]
    [InlineData("2[\"hey\",\"Jude\"]", "2[\"hey\",\"Jude\"]")]
    [InlineData("2/admin,1[\"tellme\"]", "2/admin,1[\"tellme\"]")]
    [InlineData("3456[1,\"2\",{\"3\":[false]}]", "3456[1,\"2\",{\"3\":[false]}]")]
    [InlineData("4/random,{\"message\":\"Invalid namespace\"}", "4/random,{\"message\":\"Invalid namespace\"}")]
    [InlineData("52-[\"message-back\"," + P0 + "," + P1 + "]", "52-[\"message-back\"," + P0 + "," + P1 + "]")]
    [InlineData("62-789[" + P0 + "]", "62-789[" + P0 + "]")]
    public void Decode_then_encode_gives_the_canonical_wire_form(string received, string expected)
    {
        Assert.Equal(SocketDecodeError.None, SocketPacketCodec.Decode(Utf8(received), out var packet));

        var bytes = SocketPacketCodec.Encode(packet!.Type, packet.Namespace, packet.AckId, packet.Payload.Span, packet.AttachmentCount);

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
    }
}
