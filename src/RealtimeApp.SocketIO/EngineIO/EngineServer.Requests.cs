using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO.EngineIO.Transports;

namespace RealtimeApp.SocketIO.EngineIO;

// HTTP entry point. Validation follows Node's engine.io order (server.ts verify + handshake), so each
// bad request gets the same error code it would get from Node:
//   0 unknown transport → (sid) 1 unknown sid, 3 transport mismatch → (handshake) 2 not GET,
//   3 websocket without upgrade, 4 WebSocket from a foreign origin (CheckWebSocketOrigin, ours: Node has no such
//   check), 4 refused by AllowRequest, 5 unsupported EIO revision (3 is
//   supported only with AllowEIO3, as Node's allowEIO3).
public sealed partial class EngineServer
{
    /// <summary>Handles one Engine.IO HTTP request (polling GET/POST or WebSocket upgrade).</summary>
    public Task HandleRequestAsync(HttpContext context)
    {
        var request = EngineRequest.From(context);
        if (request.Transport is not { } transport || !Options.Allows(transport))
        {
            return RefuseAsync(context, EngineErrorCode.UnknownTransport);
        }

        if (request.Sid is { } sid)
        {
            if (!_sessions.TryGetValue(sid, out var session))
            {
                return RefuseAsync(context, EngineErrorCode.UnknownSid);
            }
            if (!session.Request.Admits(EngineHandshakeRequest.UserOf(context)))
            {
                // Another signed-in user presenting this sid: the session keeps its own user, the request is refused.
                return RefuseAsync(context, EngineErrorCode.Forbidden, "the session belongs to another user", StatusCodes.Status403Forbidden);
            }
            if (request.IsWebSocketUpgrade && transport == EngineTransports.WebSocket)
            {
                return UpgradeAsync(context, session);
            }
            if (transport != session.Transport || request.IsWebSocketUpgrade || session.CurrentTransport is not PollingTransport polling)
            {
                return RefuseAsync(context, EngineErrorCode.BadRequest, "transport mismatch");
            }
            return HttpMethods.IsGet(context.Request.Method) ? polling.HandleGetAsync(context)
                : HttpMethods.IsPost(context.Request.Method) ? polling.HandlePostAsync(context)
                : RefuseAsync(context, EngineErrorCode.BadRequest, "method not allowed");
        }

        return HandshakeAsync(context, request, transport);
    }

    private async Task HandshakeAsync(HttpContext context, EngineRequest request, EngineTransports transport)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await RefuseAsync(context, EngineErrorCode.BadHandshakeMethod);
            return;
        }
        if (transport == EngineTransports.WebSocket && !request.IsWebSocketUpgrade)
        {
            await RefuseAsync(context, EngineErrorCode.BadRequest, "websocket handshake without upgrade");
            return;
        }
        if (transport == EngineTransports.WebSocket && !await AdmitWebSocketOriginAsync(context))
        {
            return;
        }
        if (Options.AllowRequest is { } allowRequest && await allowRequest(context) is { } refusal)
        {
            await RefuseAsync(context, EngineErrorCode.Forbidden, refusal);
            return;
        }
        var protocol = request.Protocol switch
        {
            "4" => 4,
            "3" when Options.AllowEIO3 => 3,
            _ => 0,
        };
        if (protocol == 0)
        {
            await RefuseAsync(context, EngineErrorCode.UnsupportedProtocolVersion);
            return;
        }
        if (TryAdmitHandshake(context) is { } refused)
        {
            await RefuseAsync(context, EngineErrorCode.Forbidden, refused.Message, refused.Status, refused.Limit);
            return;
        }

        var sid = NewSessionId();
        var handshake = EngineHandshakeRequest.From(context, Time.GetUtcNow());
        if (transport == EngineTransports.Polling)
        {
            SetCookie(context, sid);
            var upgrades = Options.AllowUpgrades && Options.Allows(EngineTransports.WebSocket) ? WebSocketUpgrade : [];
            var session = Open(sid, protocol, s => new PollingTransport(s), handshake, upgrades);

            // The handshake GET is the session's first poll: it returns the open packet at once,
            // together with anything the handler queued while opening.
            await ((PollingTransport)session.CurrentTransport).HandleGetAsync(context);
            return;
        }

        await AcceptWebSocketAsync(context, onFailedAccept: ReleaseSession, (socket, batching) =>
        {
            // The reserved slot becomes the session only now that the 101 is out.
            WebSocketTransport? webSocket = null;
            Open(sid, protocol, s => webSocket = new WebSocketTransport(socket, s, probing: false, batching), handshake, []);
            return webSocket!.RunAsync();
        });
    }

    private static readonly string[] WebSocketUpgrade = ["websocket"];

    private async Task UpgradeAsync(HttpContext context, EngineSession session)
    {
        if (!Options.AllowUpgrades)
        {
            await RefuseAsync(context, EngineErrorCode.BadRequest, "upgrades are disabled");
            return;
        }
        // Refused before anything touches the session: it goes on polling as if the upgrade never came.
        if (!await AdmitWebSocketOriginAsync(context))
        {
            return;
        }
        await AcceptWebSocketAsync(context, onFailedAccept: null, (socket, batching) =>
        {
            var probe = new WebSocketTransport(socket, session, probing: true, batching);
            if (!session.TryBeginUpgrade(probe))
            {
                // Already upgraded, already probing, or closing: Node accepts and closes the newcomer at once;
                // the session's own transport is untouched.
                probe.Abort();
            }
            return probe.RunAsync();
        });
    }

    private void SetCookie(HttpContext context, string sid)
    {
        if (Options.Cookie is { } cookie)
        {
            context.Response.Cookies.Append(cookie.Name, sid, new CookieOptions
            {
                Path = cookie.Path,
                HttpOnly = cookie.HttpOnly,
                SameSite = cookie.SameSite,
            });
        }
    }

    // limit: set when an operator's limit (or the shutdown) refuses a handshake. It is logged as such, at the
    // level an operator wants for it (see LogHandshakeRefused), instead of as a bad request.
    private Task RefuseAsync(HttpContext context, EngineErrorCode code, string? detail = null, int? statusCode = null,
        string? limit = null)
    {
        var message = code == EngineErrorCode.Forbidden && detail is not null ? detail : EngineError.DefaultMessage(code);
        if (limit is not null)
        {
            LogHandshakeRefused(limit, statusCode ?? StatusCodes.Status403Forbidden, message, context.Connection.RemoteIpAddress);
        }
        else if (Logger.IsEnabled(LogLevel.Debug)) // the URL string is built only for a line that is written
        {
            Log.RequestRefused(Logger, (int)code, detail ?? message, context.Request.Method,
                $"{context.Request.Path}{context.Request.QueryString}");
        }
        return EngineError.WriteAsync(context, code, message, statusCode);
    }

}
