using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

// Heartbeat (engine.io-protocol v4 "Heartbeat"): the server pings every PingInterval and expects a pong
// within PingTimeout. Only a pong resets it; other traffic does not (the client does the same with
// pings). One timer per session, re-armed with Change(), on the injected TimeProvider.
// Engine.IO v3 runs it the other way round: the client pings every PingInterval, the server answers each
// ping with a pong at once and gives up after PingInterval + PingTimeout without one (Node's allowEIO3).
public sealed partial class EngineSession
{
    private ITimer? _heartbeat;
    private bool _awaitingPong;

    internal void StartHeartbeat()
    {
        lock (Gate)
        {
            _heartbeat = Protocol == 3
                ? _server.Time.CreateTimer(static s => ((EngineSession)s!).OnClientPingMissed(), this,
                    ClientPingDeadline, Timeout.InfiniteTimeSpan)
                : _server.Time.CreateTimer(static s => ((EngineSession)s!).OnHeartbeatTimer(), this,
                    Options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan ClientPingDeadline => Options.PingInterval + Options.PingTimeout;

    private void OnClientPing()
    {
        lock (Gate)
        {
            if (_heartbeat is null)
            {
                return;
            }
            _heartbeat.Change(ClientPingDeadline, Timeout.InfiniteTimeSpan);
        }
        Send(EnginePacket.Pong);
    }

    private void OnClientPingMissed() =>
        Close(EngineCloseReason.PingTimeout, $"no ping within {ClientPingDeadline.TotalMilliseconds} ms");

    private void OnHeartbeatTimer()
    {
        bool timedOut;
        lock (Gate)
        {
            if (_state != SessionState.Open || _heartbeat is null)
            {
                return;
            }
            timedOut = _awaitingPong;
            if (!timedOut)
            {
                _awaitingPong = true;
                _heartbeat.Change(Options.PingTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (timedOut)
        {
            Close(EngineCloseReason.PingTimeout, $"no pong within {Options.PingTimeout.TotalMilliseconds} ms");
        }
        else
        {
            Send(EnginePacket.Ping);
        }
    }

    private void OnPong()
    {
        lock (Gate)
        {
            if (!_awaitingPong || _heartbeat is null)
            {
                return;
            }
            _awaitingPong = false;
            _heartbeat.Change(Options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    // Called under Gate.
    private void StopHeartbeat()
    {
        _heartbeat?.Dispose();
        _heartbeat = null;
    }
}
