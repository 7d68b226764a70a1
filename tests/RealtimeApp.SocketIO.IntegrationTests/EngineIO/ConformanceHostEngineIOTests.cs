using System.Net.WebSockets;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// The conformance host's Engine.IO echo at /engine.io/ (Engine.IO used alone, through the delegate form of
/// <c>MapEngineIO</c>), as the engine.io-protocol suite's reference server: ping 300/200 ms, maxPayload 1e6,
/// CORS for any origin, every message sent back as received. Checked with the official client and raw.
/// </summary>
public sealed class ConformanceHostEngineIOTests
{
    [Fact]
    public async Task Official_client_echoes_text_and_binary_across_an_upgrade_and_is_pinged()
    {
        await using var host = await ConformanceHostProcess.StartAsync();

        var run = await NodeClient.RunAsync("engine-echo-client.mjs", host.BaseAddress.ToString(), "polling,websocket", "20");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("polling", Assert.Single(run.Named("open")).GetProperty("transport").GetString());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"message {i} \u20ac"),
            run.Named("message").Select(e => e.GetProperty("data").GetString()));
        var binary = Assert.Single(run.Named("binary"));
        Assert.Equal([1, 2, 3, 4, 255], binary.GetProperty("data").EnumerateArray().Select(b => b.GetInt32()));
        Assert.Equal("websocket", Assert.Single(run.Named("upgrade")).GetProperty("transport").GetString());
    }

    [Fact]
    public async Task Polling_handshake_has_the_reference_settings_and_echoes_text_and_base64_binary()
    {
        await using var host = await ConformanceHostProcess.StartAsync();
        using var client = new RawEngineClient(host.BaseAddress);

        var (sid, open) = await client.HandshakeAsync();
        Assert.Equal(RawEngineClient.OpenPacket(sid, polling: true, pingInterval: 300, pingTimeout: 200), open.Body);

        await client.PostOkAsync(sid, "4hello \u20ac\u001ebAQID");
        Assert.Equal("4hello \u20ac\u001ebAQID", await client.PollAsync(sid));
    }

    [Fact]
    public async Task WebSocket_echoes_text_as_text_and_binary_as_binary()
    {
        await using var host = await ConformanceHostProcess.StartAsync();
        using var client = new RawEngineClient(host.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = RawEngineClient.SidOf(await ws.ReceiveTextAsync());
        Assert.Equal(20, sid.Length);

        await ws.SendTextAsync("4caf\u00e9");
        await ws.SendBinaryAsync([0, 1, 255]);

        Assert.Equal("4caf\u00e9", await ws.ReceiveTextAsync());
        var binary = await ws.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal([0, 1, 255], binary.Data);
    }

    [Fact]
    public async Task Any_origin_is_allowed_with_credentials()
    {
        await using var host = await ConformanceHostProcess.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/engine.io/?EIO=4&transport=polling"));
        request.Headers.Add("Origin", "http://any.example:1234");

        using var response = await http.SendAsync(request);

        Assert.Equal("http://any.example:1234", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.StartsWith("0{\"sid\":", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/engine.io/")]
    [InlineData("/socket.io/")]
    public async Task SocketIO_AllowEIO3_in_configuration_makes_the_host_the_EIO3_reference_server(string path)
    {
        await using var strict = await ConformanceHostProcess.StartAsync();
        // The suite's own heartbeat (300 / 200 ms) is part of what the open packet is checked against.
        await using var legacy = await ConformanceHostProcess.StartAsync("--SocketIO:AllowEIO3=true", "--SocketIO:PingTimeout=00:00:00.200");
        using var http = new HttpClient();

        using var refused = await http.GetAsync(new Uri(strict.BaseAddress, path + "?EIO=3&transport=polling"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("""{"code":5,"message":"Unsupported protocol version"}""", await refused.Content.ReadAsStringAsync());

        var open = await http.GetStringAsync(new Uri(legacy.BaseAddress, path + "?EIO=3&transport=polling"));
        Assert.Matches("""^\d+:0\{"sid":"[\w-]{20}","upgrades":\["websocket"\],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000\}""", open);
        if (path == "/socket.io/")
        {
            // Protocol 4: the server joins the main namespace itself and says so with a bare "40"…
            var colon = open.IndexOf(':');
            var openPacket = open.Substring(colon + 1, int.Parse(open[..colon], System.Globalization.CultureInfo.InvariantCulture));
            var sid = RawEngineClient.SidOf(openPacket);
            var rest = open.Length > colon + 1 + openPacket.Length ? open
                : await http.GetStringAsync(new Uri(legacy.BaseAddress, path + $"?EIO=3&transport=polling&sid={sid}"));
            // …then the connection handler's first emit, all length-prefixed.
            Assert.EndsWith("2:4013:42[\"auth\",{}]", rest);
        }
    }
}
