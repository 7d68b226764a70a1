// Our side of the benchmarks: the same handlers as bench/node-peer on the library, plus a raw Kestrel
// WebSocket echo at /ws (zero-byte reads, pooled buffer) as the ceiling row. No logging on the hot path.
// Prints {"port":N,...} once listening.
//
//   dotnet RealtimeApp.BenchHost.dll [port]        (default 0: a free port)
using System.Buffers;
using System.Net;
using System.Net.WebSockets;
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
app.MapSocketIO();

app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    while (true)
    {
        // Zero-byte read first: an idle connection holds no buffer.
        await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
Console.WriteLine(JsonSerializer.Serialize(new { port = new Uri(address).Port, server = "RealtimeApp.SocketIO" }));
await app.WaitForShutdownAsync();
