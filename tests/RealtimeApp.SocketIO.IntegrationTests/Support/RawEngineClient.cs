using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>What one raw HTTP request to an Engine.IO endpoint got back.</summary>
internal sealed record RawResponse(HttpStatusCode Status, string Body, string? ContentType, string? CacheControl)
{
    public override string ToString() => $"{(int)Status} [{ContentType}] {RawEngineClient.Show(Body)}";
}

/// <summary>
/// A deliberately dumb Engine.IO client: plain <see cref="HttpClient"/> requests and raw WebSockets, no
/// protocol logic beyond string building, so tests assert exactly what is on the wire. Works against any
/// server at <c>{base}/engine.io/</c> (ours or Node's reference server).
/// </summary>
internal sealed class RawEngineClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    public RawEngineClient(Uri baseAddress, int maxConnections = 64)
    {
        BaseAddress = baseAddress;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = Timeout };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http => _http;

    public Uri Url(string query) => new(BaseAddress, $"/engine.io/?{query}");

    public Uri WebSocketUrl(string query) => new($"ws://{BaseAddress.Authority}/engine.io/?{query}");

    /// <summary>The query of a polling request on an open session.</summary>
    public static string Polling(string sid) => $"EIO=4&transport=polling&sid={sid}";

    /// <summary>The exact error body the protocol prescribes.</summary>
    public static string ErrorBody(int code, string message) => $"{{\"code\":{code},\"message\":\"{message}\"}}";

    /// <summary>The exact open packet for a session with the given settings (keys in Node's order).</summary>
    public static string OpenPacket(string sid, bool polling, int pingInterval, int pingTimeout, long maxPayload = 1_000_000) =>
        $"0{{\"sid\":\"{sid}\",\"upgrades\":[{(polling ? "\"websocket\"" : "")}],\"pingInterval\":{pingInterval},\"pingTimeout\":{pingTimeout},\"maxPayload\":{maxPayload}}}";

    /// <summary>Makes a payload readable in assertion messages (the record separator is invisible).</summary>
    public static string Show(string payload) => payload.Replace("\u001e", "<RS>");

    public async Task<RawResponse> SendAsync(HttpMethod method, string query, string? body = null,
        string contentType = "text/plain; charset=UTF-8", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, Url(query));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new RawResponse(response.StatusCode, text, response.Content.Headers.ContentType?.ToString(),
            response.Headers.CacheControl?.ToString());
    }

    public Task<RawResponse> GetAsync(string query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, query, cancellationToken: cancellationToken);

    public Task<RawResponse> PostAsync(string query, string body, string contentType = "text/plain; charset=UTF-8") =>
        SendAsync(HttpMethod.Post, query, body, contentType);

    /// <summary>Polling handshake: asserts a 200 open packet and returns the sid and the whole body.</summary>
    public async Task<(string Sid, RawResponse Response)> HandshakeAsync(string query = "EIO=4&transport=polling")
    {
        var response = await GetAsync(query);
        Assert.True(response.Status == HttpStatusCode.OK && response.Body.StartsWith("0{", StringComparison.Ordinal),
            $"handshake failed: {response}");
        return (SidOf(response.Body), response);
    }

    /// <summary>The sid of an open packet (<c>0{...}</c>).</summary>
    public static string SidOf(string openPacket) =>
        JsonDocument.Parse(openPacket[1..]).RootElement.GetProperty("sid").GetString()!;

    /// <summary>GET on the session; asserts 200 and returns the payload.</summary>
    public async Task<string> PollAsync(string sid, CancellationToken cancellationToken = default)
    {
        var response = await GetAsync(Polling(sid), cancellationToken);
        Assert.True(response.Status == HttpStatusCode.OK, $"poll failed: {response}");
        return response.Body;
    }

    /// <summary>POST on the session; asserts the protocol's 200 <c>ok</c>.</summary>
    public async Task PostOkAsync(string sid, string payload)
    {
        var response = await PostAsync(Polling(sid), payload);
        Assert.True(response.Status == HttpStatusCode.OK && response.Body == "ok", $"POST {Show(payload)} failed: {response}");
    }

    /// <summary>Asserts that the sid is unknown to the server (the session is gone).</summary>
    public async Task AssertUnknownSidAsync(string sid)
    {
        var response = await GetAsync(Polling(sid));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(ErrorBody(1, "Session ID unknown"), response.Body);
    }

    /// <summary>Opens a raw WebSocket to the endpoint (the upgrade request, or a WebSocket-only handshake).</summary>
    public async Task<RawWebSocket> ConnectWebSocketAsync(string query, CancellationToken cancellationToken = default)
    {
        var socket = NewWebSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(WebSocketUrl(query), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawWebSocket(socket);
    }

    /// <summary>Tries a WebSocket handshake that should be refused; returns the HTTP status it got.</summary>
    public async Task<HttpStatusCode> RefusedWebSocketStatusAsync(string query)
    {
        using var socket = NewWebSocket();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(WebSocketUrl(query), timeout.Token);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        throw new Xunit.Sdk.XunitException($"the WebSocket handshake ?{query} was accepted");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }
            await Task.Delay(10);
        }
    }

    public void Dispose() => _http.Dispose();

    private static ClientWebSocket NewWebSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        return socket;
    }
}
