using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.EngineIO;

/// <summary>
/// The HTTP-level switches of an Engine.IO endpoint: CORS through ASP.NET Core's own CORS (origins from
/// configuration, applied to error responses too), the sid cookie, gzip of polling responses and
/// permessage-deflate on WebSockets.
/// </summary>
public sealed class EngineHttpFeatureTests
{
    private const string Allowed = "http://board.example";

    private static Task<EngineTestServer> StartWithCorsAsync() => EngineTestServer.StartAsync(
        services: builder =>
        {
            // The same shape as the app: origins come from configuration (Cors:Origins).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cors:Origins:0"] = Allowed });
            var origins = builder.Configuration.GetSection("Cors:Origins").Get<string[]>()!;
            builder.Services.AddCors(o => o.AddPolicy("realtime", p => p.WithOrigins(origins)
                .AllowCredentials().AllowAnyHeader().WithMethods("GET", "POST")));
        },
        endpoint: (app, engine) =>
        {
            app.UseCors();
            engine.RequireCors("realtime");
        });

    [Fact]
    public async Task Cors_allows_configured_origins_on_handshakes_polls_and_errors_and_no_others()
    {
        await using var server = await StartWithCorsAsync();
        using var http = new HttpClient();

        var handshake = await SendAsync(http, HttpMethod.Get, server.Url("EIO=4&transport=polling"), Allowed);
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Equal(Allowed, Assert.Single(handshake.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(handshake.Headers.GetValues("Access-Control-Allow-Credentials")));

        // An error must carry CORS headers too, or browsers report a CORS failure instead of the error.
        var unknownSid = await SendAsync(http, HttpMethod.Get, server.Url("EIO=4&transport=polling&sid=nope"), Allowed);
        Assert.Equal(HttpStatusCode.BadRequest, unknownSid.StatusCode);
        Assert.Equal(Allowed, Assert.Single(unknownSid.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("""{"code":1,"message":"Session ID unknown"}""", await unknownSid.Content.ReadAsStringAsync());

        var foreign = await SendAsync(http, HttpMethod.Get, server.Url("EIO=4&transport=polling"), "http://evil.example");
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));

        // A preflight (a client with extraHeaders) is answered by the CORS middleware, not as a bad handshake.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, server.Url("EIO=4&transport=polling"));
        preflight.Headers.Add("Origin", Allowed);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-token");
        var answer = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(Allowed, Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Without_cors_a_preflight_is_a_bad_handshake_method_as_in_node()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, server.Url("EIO=4&transport=polling"));
        preflight.Headers.Add("Origin", Allowed);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var answer = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("""{"code":2,"message":"Bad handshake method"}""", await answer.Content.ReadAsStringAsync());
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_cookie_option_sets_the_sid_cookie_on_the_polling_handshake_only_when_enabled()
    {
        await using var server = await EngineTestServer.StartAsync(o => o.Cookie = new EngineCookieOptions());
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false });

        var response = await http.GetAsync(server.Url("EIO=4&transport=polling"));
        var sid = SidOf(await response.Content.ReadAsStringAsync());

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Equal($"io={sid}; path=/; samesite=lax; httponly", cookie);

        await using var plain = await EngineTestServer.StartAsync();
        var without = await http.GetAsync(plain.Url("EIO=4&transport=polling"));
        Assert.False(without.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Polling_responses_over_the_threshold_are_gzipped_when_the_client_accepts_it()
    {
        await using var server = await EngineTestServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        var sid = SidOf(await http.GetStringAsync(server.Url("EIO=4&transport=polling")));
        var big = "4" + new string('x', 4000);
        var small = "4tiny";

        await http.PostAsync(server.Url($"EIO=4&transport=polling&sid={sid}"), new StringContent(big));
        using var gzipped = new HttpRequestMessage(HttpMethod.Get, server.Url($"EIO=4&transport=polling&sid={sid}"));
        gzipped.Headers.Add("Accept-Encoding", "gzip, deflate");
        var response = await http.SendAsync(gzipped);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using (var unzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress))
        {
            Assert.Equal(big, await new StreamReader(unzip).ReadToEndAsync());
        }

        // Below the 1024-byte threshold the body goes as it is.
        await http.PostAsync(server.Url($"EIO=4&transport=polling&sid={sid}"), new StringContent(small));
        using var plain = new HttpRequestMessage(HttpMethod.Get, server.Url($"EIO=4&transport=polling&sid={sid}"));
        plain.Headers.Add("Accept-Encoding", "gzip");
        var plainResponse = await http.SendAsync(plain);
        Assert.Empty(plainResponse.Content.Headers.ContentEncoding);
        Assert.Equal(small, await plainResponse.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Per_message_deflate_is_negotiated_only_when_switched_on(bool enabled)
    {
        await using var server = await EngineTestServer.StartAsync(o => o.PerMessageDeflate = enabled);
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();

        await ws.ConnectAsync(server.WebSocketUrl("EIO=4&transport=websocket"), CancellationToken.None);

        var extensions = ws.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true
            ? string.Join(",", values) : "";
        Assert.Equal(enabled, extensions.Contains("permessage-deflate"));

        // Either way the session works: the open packet, then an echo.
        var buffer = new byte[4096];
        var open = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal((byte)'0', buffer[0]);
        await ws.SendAsync("4hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal("4hello", await ReceiveAnsweringPingsAsync(ws, buffer));
        Assert.True(open.EndOfMessage);
    }

    // The test server pings every 300 ms with a 200 ms timeout: on a loaded box a ping can come before the echo,
    // and must be answered, or the session is (rightly) closed before the echo is read.
    private static async Task<string> ReceiveAnsweringPingsAsync(ClientWebSocket ws, byte[] buffer)
    {
        while (true)
        {
            var received = await ws.ReceiveAsync(buffer, CancellationToken.None);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count);
            if (text != "2")
            {
                return text;
            }
            await ws.SendAsync("3"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, Uri url, string origin)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }

    private static string SidOf(string openPacket) =>
        System.Text.Json.JsonDocument.Parse(openPacket[1..]).RootElement.GetProperty("sid").GetString()!;
}
