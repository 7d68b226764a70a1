using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

// Heartbeat (engine.io-protocol v4 "Heartbeat"): the server pings every PingInterval and expects a pong
// within PingTimeout. Only a pong resets it; other traffic does not (the client does the same with
// pings). Each wait is a node in one of the server's DeadlineQueues (one timer per length for every
// session, on the injected TimeProvider), not a timer of the session's own.
// Engine.IO v3 runs it the other way round: the client pings every PingInterval, the server answers each
// ping with a pong at once and gives up after PingInterval + PingTimeout without one (Node's allowEIO3).
public sealed partial class EngineSession
{
    private HeartbeatDeadline? _heartbeat;
    private bool _awaitingPong;

    private sealed class HeartbeatDeadline(EngineSession session) : Deadline
    {
        internal override void OnDue(int generation)
        {
            if (session.Protocol == 3)
            {
                session.OnClientPingMissed(generation);
            }
            else
            {
                session.OnHeartbeatTimer(generation);
            }
        }
    }

    internal void StartHeartbeat()
    {
        lock (Gate)
        {
            _heartbeat = new HeartbeatDeadline(this);
            (Protocol == 3 ? _server.ClientPingDeadlines : _server.PingIntervals).Arm(_heartbeat);
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
            _server.ClientPingDeadlines.Arm(_heartbeat);
        }
        Send(EnginePacket.Pong);
    }

    private void OnClientPingMissed(int generation)
    {
        lock (Gate)
        {
            if (_heartbeat is null || _heartbeat.Generation != generation)
            {
                return; // a ping re-armed it meanwhile
            }
        }
        Close(EngineCloseReason.PingTimeout, $"no ping within {ClientPingDeadline.TotalMilliseconds} ms");
    }

    private void OnHeartbeatTimer(int generation)
    {
        bool timedOut;
        lock (Gate)
        {
            if (_state != SessionState.Open || _heartbeat is null || _heartbeat.Generation != generation)
            {
                return;
            }
            timedOut = _awaitingPong;
            if (!timedOut)
            {
                _awaitingPong = true;
                _server.PingTimeouts.Arm(_heartbeat);
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
            _server.PingIntervals.Arm(_heartbeat);
        }
    }

    // Called under Gate.
    private void StopHeartbeat()
    {
        _heartbeat?.Cancel();
        _heartbeat = null;
    }
}
