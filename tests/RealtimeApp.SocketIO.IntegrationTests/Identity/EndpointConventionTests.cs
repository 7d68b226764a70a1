using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Identity;

/// <summary>
/// ASP.NET Core's endpoint conventions on <c>MapSocketIO()</c> apply to every Engine.IO request as they do to
/// any endpoint: <c>RequireAuthorization()</c> answers an anonymous handshake (polling or WebSocket) with the
/// authorization middleware's 401 and admits a signed-in official Node client; <c>RequireCors</c> still puts
/// its headers on every response, the 401 included. The client bundle stays public.
/// </summary>
public sealed class EndpointConventionTests
{
    private const string Page = "http://board.example";

    [Fact]
    public async Task RequireAuthorization_answers_an_anonymous_handshake_with_401_on_both_transports()
    {
        await using var server = await AuthTestServer.StartAsync(endpoint: e => e.RequireAuthorization());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var polling = await http.GetAsync("socket.io/?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.Unauthorized, polling.StatusCode);

        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(
            new Uri($"ws://{server.BaseAddress.Authority}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, ws.HttpStatusCode);
        Assert.Equal(0, server.Io.ConnectionCount);

        // The same request signed in is a handshake.
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        signedIn.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        var open = await http.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.StartsWith("0{\"sid\"", await open.Content.ReadAsStringAsync());

        // The bundle is the public npm file: a page may load it before anyone signs in.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("socket.io/socket.io.min.js")).StatusCode);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task RequireAuthorization_admits_the_official_client_signed_in_with_a_bearer_header_and_refuses_it_anonymous(string transports)
    {
        await using var server = await AuthTestServer.StartAsync(endpoint: e => e.RequireAuthorization());

        var signedIn = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), transports,
            """{"headers":{"Authorization":"Bearer alice"}}""");
        signedIn.AssertSucceeded();
        var who = Assert.Single(signedIn.Named("whoami"));
        Assert.True(who.GetProperty("authenticated").GetBoolean(), signedIn.ToString());
        Assert.Equal("alice", who.GetProperty("name").GetString());

        var anonymous = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), transports, "{}");
        anonymous.AssertSucceeded();
        Assert.Empty(anonymous.Named("connect"));
        var error = Assert.Single(anonymous.Named("connect_error"));
        // The engine never opened: the client reports its transport's failure (no Socket.IO packet came).
        Assert.Contains(error.GetProperty("message").GetString(), new[] { "xhr poll error", "websocket error" });
    }

    [Theory]
    [InlineData(SocketIOClient.Transport.TransportProtocol.Polling)]
    [InlineData(SocketIOClient.Transport.TransportProtocol.WebSocket)]
    public async Task RequireAuthorization_admits_the_dotnet_SocketIOClient_signed_in_with_ExtraHeaders(
        SocketIOClient.Transport.TransportProtocol transport)
    {
        await using var server = await AuthTestServer.StartAsync(endpoint: e => e.RequireAuthorization());
        using var client = new SocketIOClient.SocketIO(server.BaseAddress, new SocketIOClient.SocketIOOptions
        {
            Transport = transport,
            EIO = 4,
            AutoUpgrade = false,
            Reconnection = false,
            ConnectionTimeout = TimeSpan.FromSeconds(15),
            // Sent on every Engine.IO request, the handshake and each poll or the WebSocket upgrade.
            ExtraHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer alice" },
        });
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnConnected += (_, _) => connected.TrySetResult();

        await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var socket = Assert.Single(server.Io.Of("/").Sockets);
        Assert.Equal("alice", socket.User.Identity!.Name);
        Assert.Equal("id-alice", socket.UserId);
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task The_origin_check_switched_on_in_configuration_refuses_the_official_clients_websocket_from_a_foreign_origin()
    {
        await using var server = await AuthTestServer.StartAsync(
            services: b =>
            {
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["SocketIO:CheckWebSocketOrigin"] = "true" });
                b.Services.AddCors(o => o.AddPolicy("realtime", p => p.WithOrigins(Page).AllowCredentials().AllowAnyHeader()));
            },
            middleware: app => app.UseCors(),
            endpoint: e => e.RequireCors("realtime"));
        string Run(string transports, string origin) => JsonSerializer.Serialize(new { headers = new { Origin = origin }, settle = transports.Contains(',') });

        // WebSocket only, from a foreign page: no connection at all.
        var foreign = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), "websocket", Run("websocket", "http://evil.example"));
        foreign.AssertSucceeded();
        Assert.Equal("websocket error", Assert.Single(foreign.Named("connect_error")).GetProperty("message").GetString());

        // Polling then upgrade, from a foreign page: the upgrade is refused, the connection goes on polling
        // (polling itself is CORS's business, which a browser enforces and Node does not).
        var polling = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), "polling,websocket",
            Run("polling,websocket", "http://evil.example"));
        polling.AssertSucceeded();
        Assert.Single(polling.Named("upgradeError"));
        var after = Assert.Single(polling.Named("after"));
        Assert.Equal("polling", after.GetProperty("transport").GetString());
        Assert.True(after.GetProperty("connected").GetProperty("/").GetBoolean(), polling.ToString());

        // The page the CORS policy allows upgrades.
        var allowed = await NodeClient.RunAsync("socketio-auth-client.mjs", server.BaseAddress.ToString(), "polling,websocket",
            Run("polling,websocket", Page));
        allowed.AssertSucceeded();
        Assert.Equal("websocket", Assert.Single(allowed.Named("after")).GetProperty("transport").GetString());
    }

    [Fact]
    public async Task RequireCors_still_applies_its_headers_with_RequireAuthorization_to_preflights_handshakes_and_401s()
    {
        await using var server = await AuthTestServer.StartAsync(
            services: b => b.Services.AddCors(o => o.AddPolicy("realtime", p => p.WithOrigins(Page)
                .AllowCredentials().WithHeaders("authorization").WithMethods("GET", "POST"))),
            middleware: app => app.UseCors(),
            endpoint: e => e.RequireCors("realtime").RequireAuthorization());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        // A browser's preflight carries no credentials: CORS answers it before authorization runs.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "socket.io/?EIO=4&transport=polling");
        preflight.Headers.Add("Origin", Page);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        var answer = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(Page, Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));

        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        signedIn.Headers.Add("Origin", Page);
        signedIn.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        var open = await http.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(Page, Assert.Single(open.Headers.GetValues("Access-Control-Allow-Origin")));

        // The 401 carries them too, or the page would see a CORS failure instead of "not signed in".
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        anonymous.Headers.Add("Origin", Page);
        var refused = await http.SendAsync(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(Page, Assert.Single(refused.Headers.GetValues("Access-Control-Allow-Origin")));

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        foreign.Headers.Add("Origin", "http://evil.example");
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        Assert.False((await http.SendAsync(foreign)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}
