using System.Buffers;
using System.Text;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Encode then decode of generated payloads (fixed seed, so failures reproduce).</summary>
public sealed class PayloadCodecRoundTripTests
{
    [Fact]
    public void Round_trip_encode_then_decode_random_packet_lists()
    {
        var random = new Random(20240601);
        const string alphabet = "abcXYZ019 {}\"\\:,\u00e9\u20ac\u65e5\ud83d\ude00";
        var textTypes = new[]
        {
            EnginePacketType.Open, EnginePacketType.Close, EnginePacketType.Ping, EnginePacketType.Pong,
            EnginePacketType.Message, EnginePacketType.Upgrade, EnginePacketType.Noop,
        };

        for (var iteration = 0; iteration < 200; iteration++)
        {
            var sent = new List<EnginePacket>();
            var expected = new List<(EnginePacketType Type, bool IsBinary, byte[] Data)>();
            var count = random.Next(1, 12);
            for (var i = 0; i < count; i++)
            {
                if (random.Next(3) == 0)
                {
                    var data = new byte[random.Next(0, 40)];
                    random.NextBytes(data);
                    sent.Add(EnginePacket.Binary(data));
                    expected.Add((EnginePacketType.Message, true, data));
                }
                else
                {
                    var text = new StringBuilder();
                    var length = random.Next(0, 20);
                    for (var c = 0; c < length; c++)
                    {
                        var at = random.Next(alphabet.Length);
                        text.Append(char.IsHighSurrogate(alphabet[at]) || char.IsLowSurrogate(alphabet[at])
                            ? "\ud83d\ude00"
                            : alphabet[at].ToString());
                    }
                    var type = textTypes[random.Next(textTypes.Length)];
                    sent.Add(EnginePacket.Text(type, text.ToString()));
                    expected.Add((type, false, Encoding.UTF8.GetBytes(text.ToString())));
                }
            }

            var writer = new ArrayBufferWriter<byte>();
            PayloadCodec.Encode(sent, writer);
            var body = writer.WrittenSpan.ToArray();
            var separators = body.Count(b => b == PayloadCodec.Separator);
            Assert.Equal(count - 1, separators);

            var decoded = new List<DecodedPacket>();
            Assert.Equal(EngineDecodeError.None, PayloadCodec.Decode(body, decoded));

            Assert.Equal(expected.Count, decoded.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Type, decoded[i].Type);
                Assert.Equal(expected[i].IsBinary, decoded[i].IsBinary);
                Assert.Equal(expected[i].Data, decoded[i].Data.ToArray());
            }
        }
    }

    [Fact]
    public void Round_trip_of_every_static_and_a_binary_keeps_wire_types_and_bytes()
    {
        var sent = new[]
        {
            EnginePacket.Ping, EnginePacket.Noop, EnginePacket.Close, EnginePacket.PongProbe,
            EnginePacket.Binary(new byte[] { 0x1E, 0x62, 0x00 }), EnginePacket.Message("b\u20ac"),
        };
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodec.Encode(sent, writer);
        var decoded = new List<DecodedPacket>();

        Assert.Equal(EngineDecodeError.None, PayloadCodec.Decode(writer.WrittenSpan.ToArray(), decoded));

        Assert.Equal(
            new[]
            {
                EnginePacketType.Ping, EnginePacketType.Noop, EnginePacketType.Close, EnginePacketType.Pong,
                EnginePacketType.Message, EnginePacketType.Message,
            },
            decoded.Select(p => p.Type).ToArray());
        Assert.True(decoded[3].IsProbe);
        Assert.True(decoded[4].IsBinary);
        Assert.Equal(new byte[] { 0x1E, 0x62, 0x00 }, decoded[4].Data.ToArray());
        Assert.False(decoded[5].IsBinary);
        Assert.Equal("b\u20ac", Encoding.UTF8.GetString(decoded[5].Data.Span));
    }
}
