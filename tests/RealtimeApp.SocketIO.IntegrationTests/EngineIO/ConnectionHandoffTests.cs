using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// <c>UseSocketIOConnectionHandoff</c>: a WebSocket leaves Kestrel's HTTP/1.1 layer once its upgrade request has
/// passed the pipeline. What it is for (the request is let go), what it must not break (bytes that came with the
/// upgrade, Kestrel's HTTP timeouts no longer applying), and the WebSocket middleware path next to it. The rest
/// of the suite runs its servers with the handoff on, as the app does.
/// </summary>
public sealed class ConnectionHandoffTests
{
    private const string Handshake = "EIO=4&transport=websocket";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_upgrade_request_is_let_go_only_with_the_handoff(bool handoff)
    {
        var upgradeRequest = new StrongBox<WeakReference<HttpContext>?>();
        await using var server = await EngineTestServer.StartAsync(configure: o => o.PingInterval = TimeSpan.FromSeconds(30),
            connectionHandoff: handoff, endpoint: (app, _) => RememberUpgradeRequest(app, upgradeRequest));
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        await ws.ReceiveTextAsync();

        var collected = await CollectedAsync(upgradeRequest.Value!);

        // With the handoff the request (and Kestrel's HTTP state under it) is garbage while the socket lives on;
        // on the middleware path the request lasts as long as the WebSocket.
        Assert.Equal(handoff, collected);
        await ws.SendTextAsync("4still here");
        Assert.Equal("text 4still here", (await ws.ReceiveAsync()).ToString());
    }

    [Fact]
    public async Task A_frame_sent_right_behind_the_upgrade_request_is_not_lost()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var tcp = new TcpClient();
        var stream = await SendUpgradeRequestAsync(tcp, server);
        // The first message leaves before the 101 has come back: it reaches the server while Kestrel's HTTP layer
        // still owns the connection, and must be waiting for the WebSocket when the handoff happens.
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false });
        await socket.SendAsync(Encoding.UTF8.GetBytes("4early"), WebSocketMessageType.Text, true, default);

        var head = await ReadResponseHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Contains("Upgrade: websocket", head, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("0{", await ReceiveTextAsync(socket));
        Assert.Equal("4early", await ReceiveTextAsync(socket));
    }

    [Fact]
    public async Task A_client_that_never_answers_the_close_frame_loses_the_connection()
    {
        // The server closes the session; this client reads nothing, so it never answers the close frame. After
        // the close handshake's timeout the WebSocket is aborted, and an aborted handed-off WebSocket must drop
        // the TCP connection (on the middleware path Kestrel's upgrade stream does it), not keep it open until
        // the server stops.
        await using var server = await EngineTestServer.StartAsync(configure: o => o.PingInterval = TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        var stream = await SendUpgradeRequestAsync(tcp, server);
        Assert.StartsWith("HTTP/1.1 101", await ReadResponseHeadAsync(stream));
        await RawEngineClient.WaitUntilAsync(() => server.Handler.Open.Count == 1, RawEngineClient.Timeout, "the session");

        server.Handler.Open.Values.Single().Close();

        // Everything the server sent (open packet, close packet, close frame), then the end of the stream: an
        // abort, so a reset rather than a FIN is what usually comes.
        using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
        }
    }

    [Fact]
    public async Task Kestrel_HTTP_timeouts_stop_applying_once_the_WebSocket_is_handed_off()
    {
        // The keep-alive timeout would cut an idle HTTP connection after 1 s; a handed-off WebSocket (its
        // HTTP layer's heartbeat callbacks dropped) lives on, as one on the middleware path does.
        await using var server = await EngineTestServer.StartAsync(
            configure: o => o.PingInterval = TimeSpan.FromSeconds(10),
            services: b => b.WebHost.ConfigureKestrel(k => k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1)));
        using var client = new RawEngineClient(server.BaseAddress);
        await using var ws = await client.ConnectWebSocketAsync(Handshake);
        await ws.ReceiveTextAsync();

        await Task.Delay(TimeSpan.FromSeconds(3));

        await ws.SendTextAsync("4after the timeout");
        Assert.Equal("text 4after the timeout", (await ws.ReceiveAsync()).ToString());
        Assert.Equal(1, server.Server.SessionCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Over_TLS_the_handoff_works_inside_TLS_and_stands_aside_outside_it(bool handoffInsideTls)
    {
        using var certificate = SelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (handoffInsideTls)
            {
                listen.UseHttps(certificate).UseSocketIOConnectionHandoff(); // sees the decrypted bytes
            }
            else
            {
                listen.UseSocketIOConnectionHandoff().UseHttps(certificate); // TLS comes between: it must stand aside
            }
        }));
        builder.Logging.ClearProviders();
        builder.Services.AddEngineIO(o => o.PingInterval = TimeSpan.FromSeconds(30));
        await using var app = builder.Build();
        var upgradeRequest = new StrongBox<WeakReference<HttpContext>?>();
        RememberUpgradeRequest(app, upgradeRequest);
        app.MapEngineIO("/engine.io", new RecordingEchoHandler());
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using (var timeout = new CancellationTokenSource(RawEngineClient.Timeout))
        {
            await socket.ConnectAsync(new Uri($"wss://{address.Authority}/engine.io/?{Handshake}"), timeout.Token);
        }
        Assert.StartsWith("0{", await ReceiveTextAsync(socket));

        Assert.Equal(handoffInsideTls, await CollectedAsync(upgradeRequest.Value!));
        await socket.SendAsync(Encoding.UTF8.GetBytes("4over TLS"), WebSocketMessageType.Text, true, default);
        Assert.Equal("4over TLS", await ReceiveTextAsync(socket));
        await app.StopAsync();
    }

    // A weak reference to the WebSocket upgrade request. The WebSocket middleware comes later (in the endpoint's own
    // pipeline), so the Upgrade header tells which request it is.
    private static void RememberUpgradeRequest(IApplicationBuilder app, StrongBox<WeakReference<HttpContext>?> upgradeRequest) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Upgrade == "websocket")
            {
                upgradeRequest.Value = new(context);
            }
            await next(context);
        });

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so the private key is one SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private static async Task<bool> CollectedAsync(WeakReference<HttpContext> reference)
    {
        // The request ends a moment after the 101 is out; give the HTTP layer time to wind down.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (!reference.TryGetTarget(out _))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static async Task<NetworkStream> SendUpgradeRequestAsync(TcpClient tcp, EngineTestServer server)
    {
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /engine.io/?{Handshake} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nUpgrade: websocket\r\n"
            + $"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        return stream;
    }

    private static async Task<string> ReadResponseHeadAsync(NetworkStream stream)
    {
        // Byte by byte: what follows the blank line is the WebSocket's, left in the stream for it.
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new IOException($"connection closed after: {head}");
            }
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(RawEngineClient.Timeout);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
