using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 serving Socket.IO at <c>/socket.io/</c>. Namespaces "/", "/custom",
/// "/private" (middleware wants <c>auth.token == "secret"</c>) and dynamic "/dyn-&lt;digits&gt;" all run
/// <see cref="SocketIOTestHandlers"/> (the conformance host's behaviour plus rooms, broadcasts and acks).
/// Pings every 300 ms with a 2 s timeout, so a busy box does not time clients out. Every connection and
/// every disconnect reason is recorded for assertions.
/// </summary>
internal sealed class SocketIOTestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, SocketContext> _sockets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DisconnectReason> _disconnects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SocketContext> _connections = new();

    private readonly ConcurrentDictionary<string, ConnectionContext> _tcpConnections;
    private readonly StrongBox<Task> _admit;

    private SocketIOTestServer(WebApplication app, SocketIOServer io, Uri baseAddress,
        ConcurrentDictionary<string, ConnectionContext> tcpConnections, StrongBox<Task> admit)
    {
        _app = app;
        _tcpConnections = tcpConnections;
        _admit = admit;
        Io = io;
        BaseAddress = baseAddress;
    }

    /// <summary>The server, for server-side operations: <c>Io.Of("/").Timeout(...).EmitWithAckAsync(...)</c>.</summary>
    public SocketIOServer Io { get; }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    /// <summary>The URL a client is given for <paramref name="ns"/>, e.g. http://127.0.0.1:41234/custom.</summary>
    public string Url(string ns = "/") => new Uri(BaseAddress, ns).ToString();

    public Uri WebSocketUrl => new($"ws://{BaseAddress.Authority}/socket.io/?EIO=4&transport=websocket");

    /// <summary>Sockets that connected since start (warm-up excluded), in order.</summary>
    public IReadOnlyList<SocketContext> Connections => [.. _connections];

    /// <param name="time">The clock of the engine and the server (e.g. a FakeTimeProvider: then heartbeats,
    /// connect timeouts and rate-limit refills move only when the test advances it).</param>
    public static async Task<SocketIOTestServer> StartAsync(TimeSpan? connectTimeout = null,
        Action<SocketIOOptions>? configure = null, Action<EngineIOOptions>? configureEngine = null,
        Action<ISocketIOBuilder>? socketIO = null, TimeProvider? time = null, bool connectionHandoff = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var connections = new ConcurrentDictionary<string, ConnectionContext>(StringComparer.Ordinal);
        var admit = new StrongBox<Task>(Task.CompletedTask);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
        {
            // Held (accepted, not yet served) while a test says so; see HoldNewConnectionsUntil.
            await Volatile.Read(ref admit.Value!).WaitAsync(Timeout).ContinueWith(_ => { }, TaskScheduler.Default);
            connections[connection.ConnectionId] = connection;
            try
            {
                await next(connection);
            }
            finally
            {
                connections.TryRemove(connection.ConnectionId, out _);
            }
        }).UseConnectionHandoffIf(connectionHandoff)));
        builder.Logging.ClearProviders();
        // A client that never answers the close frame (SocketIOClient after a refused CONNECT keeps its
        // WebSocket open and stops reading) must not hold every test's disposal for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        var socketIOBuilder = builder.Services.AddSocketIO(
            o =>
            {
                o.ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(45);
                configure?.Invoke(o);
            },
            engine =>
            {
                engine.PingInterval = TimeSpan.FromMilliseconds(300);
                engine.PingTimeout = TimeSpan.FromSeconds(2);
                engine.MaxHttpBufferSize = 1_000_000;
                // Abandoned polling sessions would hold each test's disposal for the whole drain.
                engine.DrainTimeout = TimeSpan.FromSeconds(1);
                configureEngine?.Invoke(engine);
            });
        socketIO?.Invoke(socketIOBuilder);
        if (time is not null)
        {
            builder.Services.AddSingleton(time); // the last registration wins over AddEngineIO's TryAdd of the system clock
        }
        var app = builder.Build();
        var io = app.Services.GetRequiredService<SocketIOServer>();
        app.MapSocketIO("/socket.io");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var server = new SocketIOTestServer(app, io, new Uri(address + "/"), connections, admit);

        foreach (var name in new[] { "/", "/custom" })
        {
            SocketIOTestHandlers.Configure(io.Of(name), server.Record);
        }
        var privateNs = io.Of("/private");
        privateNs.Use((socket, next) =>
            socket.Handshake.Auth.ValueKind == JsonValueKind.Object
            && socket.Handshake.Auth.TryGetProperty("token", out var token)
            && token.ValueKind == JsonValueKind.String && token.GetString() == "secret"
                ? next()
                : throw new ConnectionRefusedException("unauthorized", new { code = 401 }));
        SocketIOTestHandlers.Configure(privateNs, server.Record);
        io.Of(new Regex(@"^/dyn-\d+$"), ns => SocketIOTestHandlers.Configure(ns, server.Record));

        await server.WarmUpAsync();
        return server;
    }

    private void Record(SocketContext socket)
    {
        // A recovered socket has the id of the one it replaces: the latest is the one asked about.
        _sockets[socket.Id] = socket;
        socket.Disconnected += (s, reason) => _disconnects[s.Id] = reason;
        _connections.Enqueue(socket);
    }

    /// <summary>
    /// Cuts every client TCP connection from the server side (Kestrel aborts them: no WebSocket close, no
    /// HTTP response), as a network failure or a proxy restart would; returns how many were cut.
    /// </summary>
    public int CutConnections()
    {
        var cut = 0;
        foreach (var connection in _tcpConnections.Values)
        {
            connection.Abort(new ConnectionAbortedException("cut by the test"));
            cut++;
        }
        return cut;
    }

    /// <summary>
    /// New TCP connections are accepted but not served until <paramref name="until"/> completes (at most
    /// <see cref="Timeout"/>): after <see cref="CutConnections"/>, a client that reconnects on its own comes
    /// back only once the server has seen it go, whatever its reconnection delay and the machine's load.
    /// </summary>
    public void HoldNewConnectionsUntil(Task until) => Volatile.Write(ref _admit.Value!, until);

    /// <summary>The socket with this id (connected or not any more).</summary>
    public SocketContext Socket(string id) =>
        _sockets.TryGetValue(id, out var socket) ? socket : throw new Xunit.Sdk.XunitException($"no socket {id} connected");

    /// <summary>Waits until <paramref name="count"/> sockets connected to <paramref name="ns"/> since start.</summary>
    public Task WaitForConnectionsAsync(string ns, int count) =>
        WaitUntilAsync(() => _connections.Count(s => s.Namespace.Name == ns) >= count, $"{count} connections to {ns}");

    /// <summary>The reason the server gave for socket <paramref name="id"/> leaving.</summary>
    public async Task<DisconnectReason> WaitForDisconnectAsync(string id)
    {
        await WaitUntilAsync(() => _disconnects.ContainsKey(id), $"socket {id} to disconnect");
        return _disconnects[id];
    }

    public DisconnectReason? DisconnectReasonOf(string id) => _disconnects.TryGetValue(id, out var r) ? r : null;

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {(timeout ?? Timeout).TotalSeconds} s waiting for: {what}");
            }
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// One polling handshake, a CONNECT to "/", and the engine close: the JIT runs before the test, not
    /// inside its heartbeat windows. Then the recordings are cleared.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var http = new HttpClient { Timeout = Timeout };
        var url = new Uri(BaseAddress, "/socket.io/?EIO=4&transport=polling");
        var open = await http.GetStringAsync(url);
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        var session = new Uri(BaseAddress, $"/socket.io/?EIO=4&transport=polling&sid={sid}");
        var msgPack = Io.Options.Parser == SocketIOParser.MsgPack;
        // With the msgpack parser a CONNECT is a binary message: "b" + base64 over polling.
        var connect = msgPack ? "b" + Convert.ToBase64String(MsgPackConnect) : "40";
        (await http.PostAsync(session, new StringContent(connect))).EnsureSuccessStatusCode();
        var connected = await http.GetStringAsync(session);
        if (!connected.Split('\u001e').Any(p => msgPack ? p.StartsWith('b') : p.StartsWith("40{", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"warm-up CONNECT failed: {connected}");
        }
        (await http.PostAsync(session, new StringContent("1"))).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => Io.ConnectionCount == 0 && _connections.All(s => !s.Connected), "the warm-up connection to close");
        _connections.Clear();
        _sockets.Clear();
        _disconnects.Clear();
    }

    // {type: 0, nsp: "/"} as socket.io-msgpack-parser writes it.
    private static readonly byte[] MsgPackConnect = [0x82, 0xa4, .."type"u8, 0x00, 0xa3, .."nsp"u8, 0xa1, (byte)'/'];

    /// <summary>Something that lives as long as this server (e.g. its Redis), disposed after it.</summary>
    public IAsyncDisposable? Owned { get; set; }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Owned is not null)
        {
            await Owned.DisposeAsync();
        }
    }
}
