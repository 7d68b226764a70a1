using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using RealtimeApp.SocketIO.Diagnostics;
using RealtimeApp.SocketIO.EngineIO.Transports;
using RealtimeApp.SocketIO.EngineIO.Transports.Handoff;

namespace RealtimeApp.SocketIO.EngineIO;

// Accepting a WebSocket, after every check of the request has passed. Two ways: ASP.NET Core's WebSocket
// middleware (the request stays open as long as the socket, and so does Kestrel's HTTP/1.1 state under it), or,
// on a listener with UseSocketIOConnectionHandoff, a 101 written by us and the socket run on the connection's own
// pipes once the request has ended (ConnectionHandoff).
public sealed partial class EngineServer
{
    private const string WebSocketKeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3

    /// <summary>
    /// Accepts the request's WebSocket and runs <paramref name="run"/> on it for the socket's life (ending the
    /// request first when the connection is handed off). <paramref name="onFailedAccept"/> runs when the 101
    /// could not be sent.
    /// </summary>
    private async Task AcceptWebSocketAsync(HttpContext context, Action? onFailedAccept,
        Func<WebSocket, BatchingWriteStream?, Task> run)
    {
        // Compression needs the middleware's negotiation; the handoff answers only plain WebSockets.
        var handoff = Options.PerMessageDeflate ? null : ConnectionHandoff.Of(context);
        var upgrade = handoff is null ? null : context.Features.Get<IHttpUpgradeFeature>();
        WebSocket? socket = null;
        try
        {
            if (upgrade is { IsUpgradableRequest: true })
            {
                var headers = context.Response.Headers;
                headers.Upgrade = "websocket";
                headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
                await upgrade.UpgradeAsync(); // Kestrel writes and flushes the 101 (status and Connection: Upgrade)
            }
            else
            {
                socket = await context.WebSockets.AcceptWebSocketAsync(
                    new WebSocketAcceptContext { DangerousEnableCompression = Options.PerMessageDeflate });
            }
        }
        catch
        {
            onFailedAccept?.Invoke();
            throw;
        }

        if (socket is not null)
        {
            await run(socket, BatchingUpgradeFeature.StreamOf(context));
            return;
        }
        // Traced: the socket runs in the request's execution context, as on the middleware path where the
        // request outlives the socket ("open websocket" a child of the request, later activities linked to
        // it). Not traced: nothing of the request is kept.
        var requestContext = SocketIOTracing.IsEnabled && Activity.Current is not null ? ExecutionContext.Capture() : null;
        handoff!.Detach(connection => RunHandedOffAsync(connection, requestContext, run));
    }

    private static Task RunHandedOffAsync(ConnectionContext connection, ExecutionContext? requestContext,
        Func<WebSocket, BatchingWriteStream?, Task> run)
    {
        var stream = new UpgradedConnectionStream(connection);
        var batching = new BatchingWriteStream(stream);
        // No WebSocket-level keep-alive: Engine.IO's ping/pong already finds a dead peer (Node's ws sends none
        // either), and the keep-alive would be one more timer per connection.
        var socket = WebSocket.CreateFromStream(batching, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,
        });
        stream.Socket = socket;
        if (requestContext is null)
        {
            return run(socket, batching);
        }
        Task? running = null;
        ExecutionContext.Run(requestContext, _ => running = run(socket, batching), null);
        return running!;
    }

    private static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketKeyGuid)));
}
