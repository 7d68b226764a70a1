using System.Net.WebSockets;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

/// <summary>
/// One WebSocket carrying a session (engine.io-protocol v4 "WebSocket"): one Engine.IO packet per frame,
/// text packets in text frames, binary messages in binary frames. A receive loop decodes frames
/// (<c>WebSocketTransport.Receive.cs</c>); queued packets are sent by whoever queues them
/// (<c>WebSocketTransport.Send.cs</c>). A WebSocket that arrives for an existing polling session
/// starts as the upgrade probe and only becomes the transport when the client sends the upgrade packet.
/// </summary>
internal sealed partial class WebSocketTransport(WebSocket socket, EngineSession session, bool probing,
    BatchingWriteStream? batching = null) : ITransport
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    private const int MaxBatchBytes = 64 * 1024; // one write; a bigger backlog goes out in several

    private bool _probing = probing;
    private volatile bool _writerStopping;
    private int _draining; // 1 while a send of queued packets is under way
    private Action? _drainSignal;
    private Task _writer = Task.CompletedTask;
    private readonly Lock _stopGate = new();
    private Task? _stopping;

    public EngineTransports Kind => EngineTransports.WebSocket;

    /// <summary>Runs until the WebSocket closes; the HTTP request lives exactly as long.</summary>
    public async Task RunAsync()
    {
        if (!_probing)
        {
            StartWriter();
        }

        using var upgradeTimeout = _probing
            ? new CancellationTokenSource(session.Options.UpgradeTimeout, session.Server.Time)
            : null;
        using var probeExpired = upgradeTimeout?.Token.Register(static s => ((WebSocketTransport)s!).OnUpgradeTimeout(), this);

        // The receive waits without the request's token: a dropped connection fails the read anyway, and
        // a registration per idle session is memory for nothing.
        var reason = await ReceiveLoopAsync();

        if (_probing)
        {
            session.AbandonUpgrade(this);
        }
        else if (session.CurrentTransport == this)
        {
            session.Close(reason.Reason, reason.Description);
        }

        // Whoever started the stop (this method, the session's close, a failed probe), the request must
        // not end before the close frame is out: ending it lets Kestrel drop the TCP connection.
        await StopAsync(WebSocketCloseStatus.NormalClosure);
    }

    public void OnSessionClosed(bool flush)
    {
        if (!flush)
        {
            _ = StopAsync(WebSocketCloseStatus.NormalClosure);
        }
        // On a flushing close the writer sends what is queued, then the close frame.
    }

    /// <summary>Closes a probe that will not become the transport (session closed, or a second probe).</summary>
    public void Abort() => _ = StopAsync(WebSocketCloseStatus.NormalClosure);

    private void OnUpgradeTimeout()
    {
        if (_probing)
        {
            session.AbandonUpgrade(this);
            _ = StopAsync(WebSocketCloseStatus.PolicyViolation);
        }
    }

    /// <summary>
    /// Stops the writer (if running) and sends a close frame, once: every caller gets the same task, so
    /// any of them can wait for the frame to be out.
    /// </summary>
    private Task StopAsync(WebSocketCloseStatus status)
    {
        lock (_stopGate)
        {
            return _stopping ??= StopCoreAsync(status);
        }
    }

    private async Task StopCoreAsync(WebSocketCloseStatus status)
    {
        await Task.Yield(); // never run the stop inline in the caller (it may be the receive loop)
        _writerStopping = true;
        if (_drainSignal is not null)
        {
            session.Outbox.ClearSignal(_drainSignal);
        }
        try
        {
            // A writer stuck in a send (a client that stopped reading) would never finish: cut it.
            await _writer.WaitAsync(CloseHandshakeTimeout);
        }
        catch (TimeoutException)
        {
            socket.Abort();
            return;
        }
        await CloseOutputAsync(status);
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            await socket.CloseOutputAsync(status, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
            return;
        }

        // The receive loop ends when the peer answers with its own close frame; one that never does is
        // cut after the timeout (Node's ws waits in the same way).
        _ = Task.Delay(CloseHandshakeTimeout).ContinueWith(static (_, s) =>
        {
            var ws = (WebSocket)s!;
            if (ws.State != WebSocketState.Closed)
            {
                ws.Abort();
            }
        }, socket, TaskScheduler.Default);
    }

}
