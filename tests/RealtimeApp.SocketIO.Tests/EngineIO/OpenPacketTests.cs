using System.Text;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>The handshake packet: 0 + a JSON object with exactly five keys in the protocol's order.</summary>
public sealed class OpenPacketTests
{
    private static string Wire(EnginePacket packet) => Encoding.UTF8.GetString(packet.Frame.Span);

    [Fact]
    public void Create_with_default_settings_is_the_exact_v4_open_packet()
    {
        var packet = OpenPacket.Create("abc123", new[] { "websocket" }, TimeSpan.FromMilliseconds(25000),
            TimeSpan.FromMilliseconds(20000), 1_000_000);

        Assert.Equal(
            "0{\"sid\":\"abc123\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
            Wire(packet));
    }

    [Fact]
    public void Create_is_an_open_text_packet_whose_polling_segment_equals_its_frame()
    {
        var packet = OpenPacket.Create("s", new[] { "websocket" }, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), 1_000_000);

        Assert.Equal(EnginePacketType.Open, packet.Type);
        Assert.False(packet.IsBinary);
        Assert.Equal((byte)'0', packet.Frame.Span[0]);
        Assert.Equal(packet.Frame.ToArray(), packet.PollingSegment.ToArray());
    }

    [Fact]
    public void Create_with_no_upgrades_writes_an_empty_array()
    {
        var packet = OpenPacket.Create("abc", Array.Empty<string>(), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), 1_000_000);

        Assert.Equal(
            "0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
            Wire(packet));
    }

    [Fact]
    public void Create_with_several_upgrades_keeps_their_order()
    {
        var packet = OpenPacket.Create("abc", new[] { "websocket", "webtransport" }, TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(2), 3);

        Assert.Equal(
            "0{\"sid\":\"abc\",\"upgrades\":[\"websocket\",\"webtransport\"],\"pingInterval\":1000,\"pingTimeout\":2000,\"maxPayload\":3}",
            Wire(packet));
    }

    [Fact]
    public void Create_writes_intervals_as_whole_milliseconds_and_large_max_payload()
    {
        var packet = OpenPacket.Create("id", new[] { "websocket" }, TimeSpan.FromMinutes(2),
            TimeSpan.FromMilliseconds(1500), 10_000_000_000);

        Assert.Equal(
            "0{\"sid\":\"id\",\"upgrades\":[\"websocket\"],\"pingInterval\":120000,\"pingTimeout\":1500,\"maxPayload\":10000000000}",
            Wire(packet));
    }

    [Fact]
    public void Create_with_a_base64url_style_sid_writes_it_verbatim()
    {
        var packet = OpenPacket.Create("lv_VI97HAXpY6yYWAAAC-", new[] { "websocket" }, TimeSpan.FromSeconds(25),
            TimeSpan.FromSeconds(20), 1_000_000);

        Assert.StartsWith("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC-\",\"upgrades\":", Wire(packet), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_payload_parses_as_json_with_exactly_the_five_keys_in_order()
    {
        var packet = OpenPacket.Create("abc", new[] { "websocket" }, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), 1_000_000);

        using var json = System.Text.Json.JsonDocument.Parse(packet.Frame[1..]);

        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(new[] { "sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload" }, keys);
        Assert.Equal("abc", json.RootElement.GetProperty("sid").GetString());
        Assert.Equal(25000, json.RootElement.GetProperty("pingInterval").GetInt64());
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData(null)]
    public void The_per_endpoint_template_writes_the_same_bytes_as_the_json_writer(string? upgrade)
    {
        string[] upgrades = upgrade is null ? [] : [upgrade];
        var template = new OpenPacketTemplate(upgrades, TimeSpan.FromSeconds(25), TimeSpan.FromMilliseconds(300), 1_000_000);

        foreach (var sid in new[] { "lv_VI97HAXpY6yYWAAAC", "A-b_c", "x" })
        {
            var packet = template.Create(sid);
            Assert.Equal(Wire(OpenPacket.Create(sid, upgrades, TimeSpan.FromSeconds(25), TimeSpan.FromMilliseconds(300), 1_000_000)),
                Wire(packet));
            Assert.Equal(EnginePacketType.Open, packet.Type);
        }
    }
}
