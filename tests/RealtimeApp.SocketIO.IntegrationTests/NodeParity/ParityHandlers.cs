using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// Namespace "/parity" on our server: the listeners and middlewares tests/js/parity-reference-server.mjs registers
/// on Node's, statement for statement, so parity-listeners-client.mjs sees the same thing from both.
/// </summary>
internal static class ParityHandlers
{
    public const string Namespace = "/parity";

    public static void Configure(SocketIOServer io) => io.Of(Namespace).OnConnection(socket =>
    {
        var log = new List<string>();
        var outgoing = new JsonArray();

        // Catch-all listeners: one prepended; one that removes another during a dispatch (which still calls it).
        Func<SocketEvent, Task> anyLogger = e => Log(log, $"any:{e.Name}");
        socket.OnAny(e =>
        {
            if (e.Name == "remove-any")
            {
                socket.OffAny(anyLogger);
            }
            return Task.CompletedTask;
        });
        socket.OnAny(anyLogger);
        socket.PrependAny(e => Log(log, $"pre:{e.Name}"));

        // Packet middlewares: the first rejects "forbidden" and rewrites the argument of "rewrite"; the second
        // sees the rewritten argument, and passes "rewrite" on later (asynchronously).
        socket.Use(async (e, next) =>
        {
            Add(log, $"mw1:{e.Name}");
            if (e.Name == "forbidden")
            {
                throw new InvalidOperationException("not allowed");
            }
            if (e.Name == "rewrite")
            {
                e.Arguments = SocketArguments.FromJson(JsonSerializer.SerializeToElement("rewritten"));
            }
            await next();
        });
        socket.Use(async (e, next) =>
        {
            if (e.Name == "rewrite")
            {
                Add(log, $"mw2:{e.Name}:{e.Arguments[0].GetString()}");
                await Task.Delay(10);
                await next();
                return;
            }
            Add(log, $"mw2:{e.Name}");
            await next();
        });
        socket.OnError(error => Add(log, $"error:{error.Message}"));

        socket.On("rewrite", e =>
        {
            Add(log, $"rewrite:{e.Arguments[0].GetString()}");
            e.Ack?.Send(e.Arguments);
        });
        socket.On("forbidden", e =>
        {
            Add(log, "forbidden ran");
            e.Ack?.Send("ran");
        });
        // Removal during a dispatch: the first listener removes the second, which still runs this time only.
        Action<SocketEvent> second = _ => Add(log, "second");
        socket.On("remove-me", _ =>
        {
            Add(log, "first");
            socket.Off("remove-me", second);
        });
        socket.On("remove-me", second);
        socket.On("remove-me", e =>
        {
            Add(log, "third");
            e.Ack?.Send();
        });
        socket.On("remove-any", e => { e.Ack?.Send(); });
        socket.On("ping-me", e => { e.Ack?.Send(); });
        socket.On("get-log", e =>
        {
            string[] entries;
            lock (log)
            {
                entries = [.. log];
                log.Clear();
            }
            e.Ack?.Send([entries]);
        });

        // Outgoing listeners see the socket's own emits and the broadcasts that reach it, with their arguments.
        socket.PrependAnyOutgoing((name, _) => AddOutgoing(outgoing, JsonValue.Create($"pre:{name}")));
        socket.OnAnyOutgoing((name, args) =>
        {
            var entry = new JsonArray(JsonValue.Create(name));
            foreach (var arg in args)
            {
                entry.Add(JsonNode.Parse(arg.GetRawText()));
            }
            AddOutgoing(outgoing, entry);
        });
        socket.On("emit-all", e =>
        {
            io.Of(Namespace).Emit("news", 1);
            socket.Emit("direct", 2, new { a = new[] { 1 } });
            io.Of(Namespace).To(socket.Id).Emit("room", 3);
            socket.Broadcast.Emit("not-me", 4);
            e.Ack?.Send();
        });
        socket.On("get-outgoing", e =>
        {
            JsonArray entries;
            lock (outgoing)
            {
                entries = (JsonArray)outgoing.DeepClone();
                outgoing.Clear();
            }
            e.Ack?.Send(entries);
        });

        // io.close(): what every client of the server sees.
        socket.On("close-server", _ => io.CloseAsync());

        // An ack that never comes: the error's message.
        socket.On("ask-timeout", async e =>
        {
            try
            {
                await socket.EmitWithAckAsync("no-answer", [], TimeSpan.FromMilliseconds(200));
                e.Ack?.Send("answered");
            }
            catch (SocketIOAckTimeoutException ex)
            {
                e.Ack?.Send(ex.Message);
            }
        });
    });

    private static Task Log(List<string> log, string entry)
    {
        Add(log, entry);
        return Task.CompletedTask;
    }

    private static void Add(List<string> log, string entry)
    {
        lock (log)
        {
            log.Add(entry);
        }
    }

    private static void AddOutgoing(JsonArray outgoing, JsonNode? entry)
    {
        lock (outgoing)
        {
            outgoing.Add(entry);
        }
    }
}
