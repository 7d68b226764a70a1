using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// Cross-site WebSocket hijacking (<see cref="EngineIOOptions.CheckWebSocketOrigin"/>): a raw
/// <see cref="ClientWebSocket"/> sets <c>Origin</c> as a browser on another site would. A foreign origin gets
/// 403 on a WebSocket handshake and on the upgrade of a polling session (which keeps polling); the server's
/// own origin, a listed origin, an origin the endpoint's CORS policy allows, and a request without Origin pass.
/// </summary>
public sealed class WebSocketOriginTests
{
    private const string Foreign = "http://evil.example";
    private const string Listed = "https://board.example";
    private const string Handshake = "EIO=4&transport=websocket";

    [Fact]
    public async Task A_websocket_handshake_from_a_foreign_origin_is_refused_with_403_and_logged()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await EngineTestServer.StartAsync(o => o.CheckWebSocketOrigin = true,
            services: b => b.Logging.AddProvider(logs));

        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(server, Handshake, Foreign));
        // The same host on another port is another origin.
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(server, Handshake,
            $"http://127.0.0.1:{server.BaseAddress.Port + 1}"));
        Assert.Equal(0, server.Server.SessionCount);

        // The body is the protocol's error, as every other refusal.
        var (status, body) = await RawUpgradeAsync(server, Handshake, Foreign);
        Assert.Equal(403, status);
        Assert.Equal("""{"code":4,"message":"origin not allowed"}""", body);

        var refused = logs.Events.Where(e => e.EventName == "WebSocketOriginRefused").ToArray();
        Assert.Equal(3, refused.Length);
        Assert.Equal(LogLevel.Information, refused[0].Level);
        Assert.Equal(Foreign, refused[0].Value("Origin"));
    }

    [Fact]
    public async Task The_servers_own_origin_passes_whatever_port_it_runs_on_and_so_does_a_request_without_origin()
    {
        await using var server = await EngineTestServer.StartAsync(o => o.CheckWebSocketOrigin = true);

        // Port 0: the origin is known only now, and nothing was configured for it.
        await AssertOpensAsync(server, Handshake, $"http://127.0.0.1:{server.BaseAddress.Port}");
        await AssertOpensAsync(server, Handshake, $"HTTP://127.0.0.1:{server.BaseAddress.Port}/");
        await AssertOpensAsync(server, Handshake, origin: null);
    }

    [Fact]
    public async Task An_origin_in_AllowedOrigins_passes_and_the_list_replaces_the_cors_policy()
    {
        await using var server = await EngineTestServer.StartAsync(o =>
            {
                o.CheckWebSocketOrigin = true;
                o.AllowedOrigins.Add(Listed + ":443"); // the default port, written out: the same origin
            },
            services: b => b.Services.AddCors(c => c.AddPolicy("realtime", p => p.WithOrigins("http://cors-only.example"))),
            endpoint: (app, engine) =>
            {
                app.UseCors();
                engine.RequireCors("realtime");
            });

        await AssertOpensAsync(server, Handshake, Listed);
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(server, Handshake, "http://cors-only.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(server, Handshake, "http://board.example"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Without_a_list_the_endpoints_cors_policy_decides(bool namedPolicy)
    {
        await using var server = await EngineTestServer.StartAsync(o => o.CheckWebSocketOrigin = true,
            services: b => b.Services.AddCors(c => c.AddPolicy("realtime", p => p.WithOrigins(Listed))),
            endpoint: (app, engine) =>
            {
                app.UseCors();
                if (namedPolicy)
                {
                    engine.RequireCors("realtime");
                }
                else
                {
                    engine.RequireCors(p => p.WithOrigins(Listed));
                }
            });

        await AssertOpensAsync(server, Handshake, Listed);
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(server, Handshake, Foreign));
    }

    [Fact]
    public async Task The_upgrade_of_a_polling_session_from_a_foreign_origin_is_refused_and_the_session_keeps_polling()
    {
        await using var server = await EngineTestServer.StartAsync(o => o.CheckWebSocketOrigin = true);
        using var client = new RawEngineClient(new Uri(server.BaseAddress, "/"));
        var (sid, _) = await client.HandshakeAsync(); // polling: CORS's business, not refused here

        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(server, $"{Handshake}&sid={sid}", Foreign));

        await client.PostOkAsync(sid, "4still polling");
        Assert.Equal("4still polling", await client.PollAsync(sid));
        Assert.Equal(EngineTransports.Polling, server.Handler.Open[sid].Transport);
        Assert.Empty(server.Handler.Closed);

        // The page's own origin may still upgrade it.
        using var ws = NewWebSocket($"http://127.0.0.1:{server.BaseAddress.Port}");
        await ws.ConnectAsync(server.WebSocketUrl($"{Handshake}&sid={sid}"), CancellationToken.None);
        var raw = new RawWebSocket(ws);
        await raw.SendTextAsync("2probe");
        Assert.Equal("3probe", await raw.ReceiveTextAsync());
    }

    [Fact]
    public async Task With_the_check_off_the_default_any_origin_opens_a_websocket()
    {
        await using var server = await EngineTestServer.StartAsync();

        Assert.False(new EngineIOOptions().CheckWebSocketOrigin);
        await AssertOpensAsync(server, Handshake, Foreign);
    }

    private static ClientWebSocket NewWebSocket(string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        return socket;
    }

    private static async Task AssertOpensAsync(EngineTestServer server, string query, string? origin)
    {
        using var socket = NewWebSocket(origin);
        using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
        await socket.ConnectAsync(server.WebSocketUrl(query), timeout.Token);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        var open = await new RawWebSocket(socket).ReceiveTextAsync();
        Assert.StartsWith("0{\"sid\"", open);
    }

    private static async Task<HttpStatusCode> RefusedStatusAsync(EngineTestServer server, string query, string origin)
    {
        using var socket = NewWebSocket(origin);
        using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
        var ex = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.WebSocketUrl(query), timeout.Token));
        Assert.Equal(WebSocketError.NotAWebSocket, ex.WebSocketErrorCode);
        return socket.HttpStatusCode;
    }

    // ClientWebSocket keeps no body of a refused handshake: the upgrade request by hand, to read it.
    private static async Task<(int Status, string Body)> RawUpgradeAsync(EngineTestServer server, string query, string origin)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = $"GET /engine.io/?{query} HTTP/1.1\r\nHost: 127.0.0.1:{server.BaseAddress.Port}\r\n"
            + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(new byte[16])}\r\nOrigin: {origin}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
        var status = int.Parse((await reader.ReadLineAsync(timeout.Token))!.Split(' ')[1]);
        int? length = null;
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(timeout.Token)))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim());
            }
        }
        if (length is { } known)
        {
            return (status, await ReadCharsAsync(reader, known, timeout.Token));
        }
        // Chunked (the error is written straight to the body pipe): ASCII JSON, so a char is a byte.
        var body = new StringBuilder();
        int size;
        while ((size = Convert.ToInt32((await reader.ReadLineAsync(timeout.Token))!.Trim(), 16)) > 0)
        {
            body.Append(await ReadCharsAsync(reader, size, timeout.Token));
            await reader.ReadLineAsync(timeout.Token);
        }
        return (status, body.ToString());
    }

    private static async Task<string> ReadCharsAsync(StreamReader reader, int count, CancellationToken cancellationToken)
    {
        var chars = new char[count];
        await reader.ReadBlockAsync(chars, cancellationToken);
        return new string(chars);
    }
}
