// Our side of the benchmarks: the same handlers as bench/node-peer on the library, plus the ceiling row
// (RawWebSocketCeiling at /ws, /plain). No logging on the hot path.
// Prints {"port":N,...} once listening.
//
//   dotnet RealtimeApp.BenchHost.dll [port]        (default 0: a free port)
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO.SocketIO;

var port = args.Length > 0 ? int.Parse(args[0]) : 0;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
builder.Services.AddSocketIO(); // default ping settings (25 s / 20 s), as the Node peer

var app = builder.Build();
var io = app.Services.GetRequiredService<SocketIOServer>();
io.Sockets.OnConnection(socket =>
{
    // echo: ack with the arguments received.
    socket.On("echo", e => e.Ack?.Send(e.Arguments()));
    // bcast: broadcast the payload to the namespace, then ack.
    socket.On("bcast", e =>
    {
        io.Emit("b", e.Arguments());
        e.Ack?.Send();
    });
    // stamp: broadcast a payload carrying the sender's timestamp.
    socket.On("stamp", e => io.Emit("s", e.Arguments()));
});
var socketIO = app.MapSocketIO();

app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
app.Map("/ws", RawWebSocketCeiling.HandleAsync);

// The polling-handshake ceiling: Kestrel answering a small fixed body, nothing else.
app.MapGet("/plain", () => Results.Text("0{\"sid\":\"AAAAAAAAAAAAAAAAAAAA\",\"upgrades\":[\"websocket\"]}"));

// What the load generator reads between phases: managed heap and open sessions, and a full GC on demand
// (the Node peer answers the same two paths).
var engine = socketIO.Server;
app.MapGet("/stats", () => Results.Json(new { heap = GC.GetTotalMemory(false), sessions = engine.SessionCount }));
app.MapGet("/gc", () =>
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return Results.Json(new { heap = GC.GetTotalMemory(false) });
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
Console.WriteLine(JsonSerializer.Serialize(new { port = new Uri(address).Port, server = "RealtimeApp.SocketIO" }));
await app.WaitForShutdownAsync();
