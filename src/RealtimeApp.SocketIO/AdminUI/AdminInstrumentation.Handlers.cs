using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealtimeApp.SocketIO.AdminUI;

internal sealed partial class AdminInstrumentation
{
    // The session id a successful basic auth created, handed from the middleware to the connection handler:
    // Node emits "session" from the middleware and the client delivers it at connect, before "config".
    private const string SessionKey = AdminSerializer.SessionKey;

    private readonly AdminSessionStore _sessions = new();

    /// <summary>Node's initAuthenticationMiddleware (basic auth with a bcrypt hash), or an ASP.NET Core policy.</summary>
    private void UseAuthentication()
    {
        if (!string.IsNullOrEmpty(_options.AuthorizationPolicy))
        {
            _admin.RequireAuthorization(_options.AuthorizationPolicy);
            return;
        }
        if (string.IsNullOrEmpty(_options.PasswordHash))
        {
            return; // auth: false (the validator allows it in Development only)
        }
        var userName = _options.UserName;
        var hash = _options.PasswordHash;
        _admin.Use(async (socket, next) =>
        {
            var auth = socket.Handshake.Auth;
            if (Text(auth, "sessionId") is { } sessionId && _sessions.Exists(sessionId))
            {
                await next();
                return;
            }
            // bcrypt costs ~100 ms at cost 10: off the receive loop, as Node's async compare.
            if (Text(auth, "username") == userName && Text(auth, "password") is { } password
                && await Task.Run(() => BCrypt.Net.BCrypt.Verify(password, hash)))
            {
                socket.Data[SessionKey] = _sessions.Create();
                await next();
                return;
            }
            throw new ConnectionRefusedException("invalid credentials");
        });
    }

    /// <summary>Node's registerFeatureHandlers for Socket.IO v4: the dashboard's actions on whole rooms or namespaces.</summary>
    private void RegisterActions(SocketContext socket)
    {
        socket.On("emit", e =>
        {
            var args = e.Arguments;
            if (args.Count < 3 || Text(args[0]) is not { } nsp || Text(args[2]) is not { } eventName)
            {
                return;
            }
            var rest = new JsonElement[args.Count - 3];
            for (var i = 3; i < args.Count; i++)
            {
                rest[i - 3] = args[i];
            }
            Target(nsp, args[1]).Emit(eventName, SocketArguments.FromJson(rest));
        });
        socket.On("join", e =>
        {
            if (e.Arguments is { Count: >= 2 } args && Text(args[0]) is { } nsp && Text(args[1]) is { } room)
            {
                Target(nsp, args.Count > 2 ? args[2] : default).SocketsJoin(room);
            }
        });
        socket.On("leave", e =>
        {
            if (e.Arguments is { Count: >= 2 } args && Text(args[0]) is { } nsp && Text(args[1]) is { } room)
            {
                Target(nsp, args.Count > 2 ? args[2] : default).SocketsLeave(room);
            }
        });
        socket.On("_disconnect", e =>
        {
            if (e.Arguments is { Count: >= 1 } args && Text(args[0]) is { } nsp)
            {
                var close = args.Count > 1 && args[1].ValueKind == JsonValueKind.True;
                Target(nsp, args.Count > 2 ? args[2] : default).DisconnectSockets(close);
            }
        });
    }

    /// <summary><c>io.of(nsp).in(filter)</c>, or the whole namespace when the filter is empty (a room or a socket id).</summary>
    private BroadcastOperator Target(string nsp, JsonElement filter)
    {
        var target = new BroadcastOperator(_io.Of(nsp));
        return filter.ValueKind switch
        {
            JsonValueKind.String when filter.GetString() is { Length: > 0 } room => target.In(room),
            JsonValueKind.Array => target.In([.. filter.EnumerateArray().Select(Text).OfType<string>()]),
            _ => target,
        };
    }

    /// <summary>Node's registerVerboseListeners: the live feed of one namespace (development mode).</summary>
    private void RegisterVerboseListeners(SocketNamespace ns)
    {
        ns.PrependConnection(socket =>
        {
            var session = socket.Connection.Session;
            socket.Data[AdminSerializer.AdminKey] = AdminData(session);
            AdminEmit("socket_connected", AdminSerializer.Socket(socket), Now());
            if (ns != _admin)
            {
                socket.OnAny(e =>
                {
                    // Node drops the ack callback; the arguments go as sent.
                    AdminEmit("event_received", ns.Name, socket.Id, AdminSerializer.Arguments(e.Name, e.Arguments), Now());
                    return Task.CompletedTask;
                });
                socket.OnAnyOutgoing((name, args) =>
                    AdminEmit("event_sent", ns.Name, socket.Id, AdminSerializer.Arguments(name, args), Now()));
            }
            socket.Disconnected += (s, reason) =>
                AdminEmit("socket_disconnected", ns.Name, s.Id, reason.ToWireString(), Now());
            return Task.CompletedTask;
        });
    }

    private static string? Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Text(value) : null;
}
