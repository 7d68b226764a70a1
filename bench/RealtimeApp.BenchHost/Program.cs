// Our side of the benchmarks: the same handlers as bench/node-peer on the library, plus the ceiling row
// (RawWebSocketCeiling at /ws, /plain). No logging output: one provider only counts Warning and Error events
// (LogCounter, read through /stats). Prints {"port":N,...} once listening.
//
//   dotnet RealtimeApp.BenchHost.dll [port] [--signed-in] [--msgpack] [--redis HOST:PORT --redis-mode pubsub|sharded|streams]
//                                    [--no-handoff]                        (default 0: a free port)
//
// The listener hands Engine.IO WebSockets off from Kestrel's HTTP layer (UseSocketIOConnectionHandoff), as the
// app does; --no-handoff keeps them on the WebSocket middleware (the ceiling row always is).
// --redis (the cluster rows): join the other nodes through that Redis with AddRedisAdapter, Mode = --redis-mode
// (default pubsub). A mode the library cannot build yet exits with one line on stderr, "cluster adapter: ...".
// --msgpack (the msgpack rows): the server speaks socket.io-msgpack-parser (SocketIO:Parser = MsgPack).
// --signed-in (the signed-in soak): ASP.NET Core's bearer-token authentication in front of Socket.IO, and
// POST /token?user=<name> issuing a token for that user, so every socket has a User and joins its user room.
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Redis;

var port = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0]) : 0;
var signedIn = args.Contains("--signed-in");
var msgPack = args.Contains("--msgpack");
var handoff = !args.Contains("--no-handoff");
var redis = Flag("--redis");
var redisMode = Flag("--redis-mode") switch
{
    null or "pubsub" => RedisAdapterMode.PubSub,
    "sharded" => RedisAdapterMode.Sharded,
    "streams" => RedisAdapterMode.Streams,
    var other => throw new ArgumentException($"--redis-mode {other}: pubsub, sharded or streams"),
};
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
var logCounter = new LogCounter();
builder.Logging.AddProvider(logCounter);
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
{
    if (handoff)
    {
        listen.UseSocketIOConnectionHandoff();
    }
}));
// Default ping settings (25 s / 20 s), as the Node peer.
var socketIOBuilder = builder.Services.AddSocketIO(o => o.Parser = msgPack ? SocketIOParser.MsgPack : SocketIOParser.Json);
if (redis is not null)
{
    socketIOBuilder.AddRedisAdapter(o =>
    {
        o.Configuration = redis;
        o.Mode = redisMode;
    });
}
if (signedIn)
{
    builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme).AddBearerToken();
}

var app = builder.Build();
SocketIOServer io;
try
{
    // The server makes "/" and its adapter: a Redis mode the library cannot build fails here, before listening.
    io = app.Services.GetRequiredService<SocketIOServer>();
}
catch (Exception e) when (redis is not null)
{
    var cause = e;
    while (cause.InnerException is { } inner && cause is System.Reflection.TargetInvocationException or InvalidOperationException)
    {
        cause = inner;
    }
    Console.Error.WriteLine($"cluster adapter: {cause.GetType().Name}: {cause.Message}");
    return 3;
}
io.Sockets.OnConnection(socket =>
{
    // echo: ack with the arguments received.
    socket.On("echo", e => e.Ack?.Send(e.Arguments.ToArray()));
    // bcast: broadcast the payload to the namespace, then ack.
    socket.On("bcast", e =>
    {
        io.Emit("b", e.Arguments.ToArray());
        e.Ack?.Send();
    });
    // stamp: broadcast a payload carrying the sender's timestamp.
    socket.On("stamp", e => io.Emit("s", e.Arguments.ToArray()));

    // The soak scenario's handlers (rooms, server-side acks and room broadcasts churn with the connections).
    // join: joins the rooms named by the arguments, acks with how many were named.
    socket.On("join", e =>
    {
        var rooms = new string[e.Arguments.Count];
        for (var i = 0; i < rooms.Length; i++)
        {
            rooms[i] = e.Arguments[i].GetString() ?? "";
        }
        socket.Join(rooms);
        e.Ack?.Send(rooms.Length);
    });
    // ask: the server emits "ask" to this client with an ack of its own (5 s timeout), then acks the event with
    // "ok" or "timeout". A client that leaves meanwhile leaves the handler waiting for its timeout.
    socket.On("ask", async e =>
    {
        string answer;
        try
        {
            await socket.EmitWithAckAsync("ask", ["q"], TimeSpan.FromSeconds(5));
            answer = "ok";
        }
        catch (TimeoutException)
        {
            answer = "timeout";
        }
        e.Ack?.Send(answer);
    });
    // roomcast: sends "r" with the payload (argument 1) to the other members of the room (argument 0), then acks.
    socket.On("roomcast", e =>
    {
        socket.To(e.Arguments[0].GetString() ?? "").Emit("r", e.Arguments.Count > 1 ? e.Arguments[1] : null);
        e.Ack?.Send();
    });
});
if (signedIn)
{
    app.UseAuthentication();
    app.MapPost("/token", (string user) => Results.SignIn(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], "bench")),
        authenticationScheme: BearerTokenDefaults.AuthenticationScheme));
}
var socketIO = app.MapSocketIO();

app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
app.Map("/ws", RawWebSocketCeiling.HandleAsync);

// The polling-handshake ceiling: Kestrel answering a small fixed body, nothing else.
app.MapGet("/plain", () => Results.Text("0{\"sid\":\"AAAAAAAAAAAAAAAAAAAA\",\"upgrades\":[\"websocket\"]}"));

// What the load generator reads between phases: managed heap and open sessions, and a full GC on demand
// (the Node peer answers the same two paths). The soak scenario also reads every counter of GetStatistics(),
// RSS, the GC heap and its committed memory, and the Warning/Error log events counted by LogCounter.
var engine = socketIO.Server;
app.MapGet("/stats", () =>
{
    var statistics = io.GetStatistics();
    var heap = GC.GetTotalMemory(false);
    return Results.Json(new
    {
        heap,
        sessions = engine.SessionCount,
        engineSessions = statistics.EngineSessions,
        connections = statistics.Connections,
        sockets = statistics.Sockets,
        rooms = statistics.Rooms,
        pendingAcks = statistics.PendingAcks,
        runningHandlers = statistics.RunningHandlers,
        refusedHandshakes = statistics.RefusedHandshakes,
        rateLimitedEvents = statistics.RateLimitedEvents,
        limitRefusals = statistics.LimitRefusals,
        namespaces = statistics.Namespaces,
        rssBytes = VmRssBytes(),
        gcHeapBytes = heap,
        gcCommittedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
        errorsLogged = logCounter.Errors,
        warningsLogged = logCounter.Warnings,
        lastErrors = logCounter.LastErrors,
    });
});
// /gc?aggressive=true (the soak) also decommits what the GC keeps for reuse (free regions), so RSS read after it is the
// memory the process really holds, not how lazily the GC returned the last burst's regions.
app.MapGet("/gc", (bool? aggressive) =>
{
    var mode = aggressive == true ? GCCollectionMode.Aggressive : GCCollectionMode.Forced;
    GC.Collect(2, mode, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, mode, blocking: true, compacting: true);
    return Results.Json(new { heap = GC.GetTotalMemory(false) });
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
Console.WriteLine(JsonSerializer.Serialize(new
{
    port = new Uri(address).Port,
    server = "RealtimeApp.SocketIO",
    adapter = redis is null ? "in-memory" : $"RealtimeApp.SocketIO.Redis {redisMode}",
}));
await app.WaitForShutdownAsync();
return 0;

string? Flag(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

// VmRSS of /proc/self/status (resident memory now; Environment.WorkingSet reads the same on Linux).
static long VmRssBytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }
    return Environment.WorkingSet;
}
