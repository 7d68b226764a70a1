using RealtimeApp.SocketIO.EngineIO.Transports;

namespace RealtimeApp.SocketIO.EngineIO;

// Upgrade from polling to WebSocket (engine.io-protocol v4 "Upgrade"):
//   1. a WebSocket arrives with the sid of a polling session → it becomes the probe (one at a time);
//   2. the client sends 2probe on it → the probe answers 3probe, and the pending poll is released with
//      a noop so the client can pause polling;
//   3. the client sends 5 on it → the probe becomes the session's transport and its writer drains the
//      outbox. Nothing is lost or sent twice: the outbox has one consumer at a time, the poll before the
//      switch and the WebSocket after it.
public sealed partial class EngineSession
{
    private WebSocketTransport? _upgradeProbe;
    private bool _probed;

    /// <summary>True between the probe ping and the upgrade packet: a poll is answered with a noop.</summary>
    internal bool IsUpgrading => _probed;

    internal bool TryBeginUpgrade(WebSocketTransport probe)
    {
        lock (Gate)
        {
            if (_state != SessionState.Open || _transport.Kind != RealtimeApp.SocketIO.EngineIO.EngineTransports.Polling
                || _upgradeProbe is not null)
            {
                return false;
            }
            _upgradeProbe = probe;
            return true;
        }
    }

    internal void OnProbe(WebSocketTransport probe)
    {
        PollingTransport? polling;
        lock (Gate)
        {
            if (_upgradeProbe != probe)
            {
                return;
            }
            _probed = true;
            polling = _transport as PollingTransport;
        }
        polling?.Release();
    }

    internal bool TryCompleteUpgrade(WebSocketTransport probe)
    {
        PollingTransport? polling;
        lock (Gate)
        {
            if (_upgradeProbe != probe || !_probed || _state != SessionState.Open)
            {
                return false;
            }
            polling = _transport as PollingTransport;
            _transport = probe;
            _upgradeProbe = null;
            _probed = false;
        }
        polling?.Release();
        _server.OnUpgraded(this);
        return true;
    }

    internal void AbandonUpgrade(WebSocketTransport probe)
    {
        lock (Gate)
        {
            if (_upgradeProbe == probe)
            {
                _upgradeProbe = null;
                _probed = false;
            }
        }
    }
}
