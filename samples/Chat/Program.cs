using RealtimeApp.SocketIO;

// A chat room server: a client joins a room under a name, then every message it sends reaches everyone in that
// room (itself included). Each request is acknowledged with { ok: true } or { ok: false, error }.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSocketIO(); // also serves the client bundle at /socket.io/socket.io.min.js
var app = builder.Build();

var io = app.Services.GetRequiredService<SocketIOServer>();
var chat = io.Of("/");
chat.OnConnection(socket =>
{
    // One connection's state. Its handlers are synchronous, so they run one at a time, in order.
    string? name = null, room = null;

    socket.On<JoinRequest>("join", (join, ack) =>
    {
        var newName = join.Name?.Trim();
        var newRoom = join.Room?.Trim();
        if (!Valid(newName, 40) || !Valid(newRoom, 40))
        {
            ack?.Send(Error("name and room: 1 to 40 characters"));
            return Task.CompletedTask;
        }
        if (room is not null)
        {
            socket.Leave(room);
            chat.To(room).Emit("notice", $"{name} left");
        }
        (name, room) = (newName, newRoom);
        socket.Join(room!);
        chat.To(room!).Emit("notice", $"{name} joined {room}");
        ack?.Send(new { ok = true, room });
        return Task.CompletedTask;
    });

    socket.On<ChatMessage>("message", (message, ack) =>
    {
        var text = message.Text?.Trim();
        if (room is null)
        {
            ack?.Send(Error("join a room first"));
        }
        else if (!Valid(text, 500))
        {
            ack?.Send(Error("a message has 1 to 500 characters"));
        }
        else
        {
            chat.To(room).Emit("message", new { name, text, at = DateTimeOffset.UtcNow });
            ack?.Send(new { ok = true });
        }
        return Task.CompletedTask;
    });

    socket.Disconnected += (_, _) =>
    {
        if (room is not null)
        {
            chat.To(room).Emit("notice", $"{name} left");
        }
    };
});

app.UseDefaultFiles();
app.UseStaticFiles();
app.MapSocketIO("/socket.io");
app.Run();

static bool Valid(string? value, int maxLength) => !string.IsNullOrEmpty(value) && value.Length <= maxLength;

static object Error(string message) => new { ok = false, error = message };

internal sealed record JoinRequest(string? Name, string? Room);

internal sealed record ChatMessage(string? Text);
