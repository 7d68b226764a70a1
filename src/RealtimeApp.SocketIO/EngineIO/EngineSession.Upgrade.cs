using RealtimeApp.SocketIO.EngineIO.Transports;

namespace RealtimeApp.SocketIO.EngineIO;

// Upgrade from polling to WebSocket (engine.io-protocol v4 "Upgrade"):
//   1. a WebSocket arrives with the sid of a polling session → it becomes the probe (one at a time);
//   2. the client sends 2probe on it → the probe answers 3probe; from then on, every 100 ms, a poll that
//      is waiting is released with a noop so the client can pause polling (Node's engine.io "check"
//      interval: a noop at once would reach clients as an extra packet Node never sends that early);
//   3. the client sends 5 on it → the probe becomes the session's transport and its writer drains the
//      outbox. Nothing is lost or sent twice: the outbox has one consumer at a time, the poll before the
//      switch and the WebSocket after it.
public sealed partial class EngineSession
{
    /// <summary>Node's engine.io answers a waiting poll with a noop on a 100 ms interval during an upgrade.</summary>
    internal static readonly TimeSpan UpgradeCheckInterval = TimeSpan.FromMilliseconds(100);

    private WebSocketTransport? _upgradeProbe;
    private bool _probed;
    private ITimer? _upgradeCheck;
    private int _upgradeChecks;

    /// <summary>True between the probe ping and the upgrade packet.</summary>
    internal bool IsUpgrading => _probed;

    /// <summary>
    /// How many 100 ms checks have run since the probe: a poll that saw a lower count when it began to wait
    /// is answered with a noop (it was waiting at a check, as Node's <c>transport.writable</c>).
    /// </summary>
    internal int UpgradeChecks => Volatile.Read(ref _upgradeChecks);

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
        lock (Gate)
        {
            if (_upgradeProbe != probe)
            {
                return;
            }
            _probed = true;
            _upgradeCheck ??= _server.Time.CreateTimer(static s => ((EngineSession)s!).OnUpgradeCheck(), this,
                UpgradeCheckInterval, UpgradeCheckInterval);
        }
    }

    private void OnUpgradeCheck()
    {
        PollingTransport? polling;
        lock (Gate)
        {
            if (!_probed)
            {
                return;
            }
            _upgradeChecks++;
            polling = _transport as PollingTransport;
        }
        polling?.Release();
    }

    // Called under Gate when the upgrade ends either way (or the session closes).
    private void StopUpgradeCheck()
    {
        _upgradeCheck?.Dispose();
        _upgradeCheck = null;
        _probed = false;
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
            StopUpgradeCheck();
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
                StopUpgradeCheck();
            }
        }
    }
}
