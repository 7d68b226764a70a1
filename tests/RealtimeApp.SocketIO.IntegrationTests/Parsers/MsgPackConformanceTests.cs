using System.Text.RegularExpressions;
using MessagePack;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Parsers;

/// <summary>
/// The Socket.IO part of the protocol suite — connect, namespaces, acks, binary, invalid packets — on the conformance
/// host switched to the msgpack parser with its one setting (<c>--SocketIO:Parser=MsgPack</c>): the official client
/// with <c>socket.io-msgpack-parser</c>, and the same rules checked on the raw wire with msgpack packets.
/// </summary>
public sealed class MsgPackConformanceTests
{
    private static Task<ConformanceHostProcess> StartHostAsync() => ConformanceHostProcess.StartAsync("--SocketIO:Parser=MsgPack");

    [Theory]
    [InlineData("polling", "/")]
    [InlineData("websocket", "/custom")]
    [InlineData("polling,websocket", "/")]
    public async Task The_official_client_gets_auth_echoes_and_acks_back_unchanged(string transports, string nsp)
    {
        await using var host = await StartHostAsync();

        var run = await NodeClient.RunWithEnvironmentAsync(new Dictionary<string, string> { ["SOCKETIO_PARSER"] = "msgpack" },
            "socketio-conformance-client.mjs", host.BaseAddress.ToString(), transports, nsp);

        SocketIO.ConformanceHostTests.AssertConformanceRun(run);
    }

    [Fact]
    public async Task Connect_replies_carry_only_the_sid_acks_and_binary_travel_inline_and_an_unknown_namespace_is_refused()
    {
        await using var host = await StartHostAsync();
        await using var client = await SocketIORawClient.OpenAsync(host.WebSocketUrl);

        await client.SendBinaryAsync(MsgPackWire.Packet(0, "/"));
        Assert.Matches("""^\{type:0,data:\{sid:"[A-Za-z0-9_-]{20}"\},nsp:"/"\}$""", await MsgPackWire.ReceiveAsync(client));
        Assert.Equal("""{type:2,data:["auth",{}],nsp:"/"}""", await MsgPackWire.ReceiveAsync(client));

        await client.SendBinaryAsync(MsgPackWire.Packet(0, "/custom", (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("token");
            w.Write("t");
        }));
        Assert.Matches("""^\{type:0,data:\{sid:"[A-Za-z0-9_-]{20}"\},nsp:"/custom"\}$""", await MsgPackWire.ReceiveAsync(client));
        Assert.Equal("""{type:2,data:["auth",{token:"t"}],nsp:"/custom"}""", await MsgPackWire.ReceiveAsync(client));

        // An event with an ack id and binary in it: the ack carries the same arguments, bytes inline.
        await client.SendBinaryAsync(MsgPackWire.Packet(2, "/", (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("message-with-ack");
            w.Write(1);
            w.Write([1, 2, 255]);
        }, id: 9));
        Assert.Equal("""{type:3,data:[1,bin[1,2,255]],nsp:"/",id:9}""", await MsgPackWire.ReceiveAsync(client));

        await client.SendBinaryAsync(MsgPackWire.Packet(0, "/random"));
        Assert.Equal("""{type:4,data:{message:"Invalid namespace"},nsp:"/random"}""", await MsgPackWire.ReceiveAsync(client));
    }

    public static TheoryData<string, string> InvalidPackets => new()
    {
        { "unknown packet type", Convert.ToHexString(MsgPackWire.Packet(9, "/")) },
        { "an event that is not an array", Convert.ToHexString(MsgPackWire.Packet(2, "/", (ref MessagePackWriter w) => w.Write("x"))) },
        { "a reserved event name", Convert.ToHexString(MsgPackWire.Event("/", "connect")) },
        { "CONNECT to / twice", Convert.ToHexString(MsgPackWire.Packet(0, "/")) },
        { "a namespace never joined", Convert.ToHexString(MsgPackWire.Packet(1, "/custom")) },
        { "truncated", "83a474797065" },
        { "a text frame", "" },
    };

    [Theory]
    [MemberData(nameof(InvalidPackets))]
    public async Task Each_invalid_packet_closes_that_connection_and_only_that_one(string what, string hex)
    {
        await using var host = await StartHostAsync();
        await using var bystander = await JoinAsync(host);
        await using var client = await JoinAsync(host);
        var bystanderReply = MsgPackWire.ReceiveAsync(bystander);

        if (hex.Length == 0)
        {
            await client.SendTextAsync("40");
        }
        else
        {
            await client.SendBinaryAsync(Convert.FromHexString(hex));
        }

        await client.ReceiveUntilClosedAsync();
        await bystander.SendBinaryAsync(MsgPackWire.Event("/", "message", "still here"));
        Assert.True(Regex.IsMatch(await bystanderReply, "message-back.*still here"), what);
    }

    private static async Task<SocketIORawClient> JoinAsync(ConformanceHostProcess host)
    {
        var client = await SocketIORawClient.OpenAsync(host.WebSocketUrl);
        await client.SendBinaryAsync(MsgPackWire.Packet(0, "/"));
        await MsgPackWire.ReceiveAsync(client); // the CONNECT reply
        await MsgPackWire.ReceiveAsync(client); // "auth"
        return client;
    }
}
