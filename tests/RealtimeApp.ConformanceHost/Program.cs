// The reference servers of the protocol test suites, on RealtimeApp.SocketIO: pingInterval 300 ms,
// pingTimeout 200 ms, maxPayload 1e6, CORS for any origin.
// - /socket.io/: the socket.io-protocol v5 server: connectTimeout 1000 ms, namespaces "/" and "/custom". On
//   connection each emits "auth" with the handshake's auth payload; "message" is answered with
//   "message-back" (same arguments, binary included) and "message-with-ack" with an ack carrying them.
// - /engine.io/: the engine.io-protocol v4 server, Engine.IO alone: every message is sent back as received,
//   text as text and binary as binary.
//
// Both take their options from the configuration section "SocketIO" first, so --SocketIO:AllowEIO3=true
// (or SocketIO__AllowEIO3=true) makes the host the EIO3 reference server of the suites' v3 branches too.
//
//   dotnet run --project tests/RealtimeApp.ConformanceHost                 (http://localhost:3000)
//   dotnet run --project tests/RealtimeApp.ConformanceHost --urls http://127.0.0.1:0
//   dotnet run --project tests/RealtimeApp.ConformanceHost --SocketIO:AllowEIO3=true
//
// NativeAOT-clean (the tests also run it published with PublishAot=true): every payload goes through source-generated
// metadata or is forwarded as received.
using RealtimeApp.SocketIO.EngineIO.Protocol;
using System.Text.Json;
using System.Text.Json.Serialization;
using RealtimeApp.SocketIO;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["urls"] is null)
{
    builder.WebHost.UseUrls("http://localhost:3000");
}
// WebSockets leave Kestrel's HTTP layer after the upgrade (as the app's do), unless --SocketIO:ConnectionHandoff=false.
if (builder.Configuration.GetValue("SocketIO:ConnectionHandoff", defaultValue: true))
{
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseSocketIOConnectionHandoff()));
}
builder.Services.AddSocketIO(
    // The suite's 1000 ms, unless configured (our own tests of the host give slow machines more room).
    o => o.ConnectTimeout = builder.Configuration.GetValue<TimeSpan?>("SocketIO:ConnectTimeout") ?? TimeSpan.FromMilliseconds(1000),
    engine =>
    {
        engine.PingInterval = TimeSpan.FromMilliseconds(300);
        // The suite's 200 ms, unless configured: our own tests give a loaded box more room to answer pings,
        // except where the heartbeat itself is what they check.
        engine.PingTimeout = builder.Configuration.GetValue<TimeSpan?>("SocketIO:PingTimeout") ?? TimeSpan.FromMilliseconds(200);
        engine.MaxHttpBufferSize = 1_000_000;
    });
builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true)
    .AllowCredentials().AllowAnyHeader().AllowAnyMethod()));

var app = builder.Build();
app.UseCors();

var io = app.Services.GetRequiredService<SocketIOServer>();
foreach (var ns in new[] { io.Of("/"), io.Of("/custom") })
{
    ns.OnConnection(socket =>
    {
        socket.Emit("auth", socket.Handshake.Auth, ConformanceJson.Default.JsonElement);
        socket.On("message", e => socket.Emit("message-back", e.Arguments));    // forwarded as received, binary included
        socket.On("message-with-ack", e => e.Ack?.Send(e.Arguments));
    });
}

app.MapSocketIO();

// The message's bytes belong to the receive buffer: each echo is a copy.
app.MapEngineIO("/engine.io", engine => engine.OnMessage((session, message) => session.Send(message.IsBinary
        ? EnginePacket.Binary(message.Data.ToArray())
        : EnginePacket.Message(message.Data.Span))),
    options =>
    {
        options.PingInterval = TimeSpan.FromMilliseconds(300);
        options.PingTimeout = TimeSpan.FromMilliseconds(200);
        options.MaxHttpBufferSize = 1_000_000;
    });
app.Run();

/// <summary>The host's JSON metadata, generated at build time (no reflection, so NativeAOT needs nothing more).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ConformanceJson : JsonSerializerContext;
