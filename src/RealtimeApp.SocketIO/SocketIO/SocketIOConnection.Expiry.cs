using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.SocketIO;

// SocketIOOptions.CloseOnAuthenticationExpiration: one timer per engine connection (the user, and so the
// expiry, belongs to the engine handshake, shared by every namespace of it), on the server's TimeProvider so
// tests can move it. Like SignalR, the credentials are not re-checked on later requests: a connection that
// outlives them is ended when they end, and the client signs in again.
internal sealed partial class SocketIOConnection
{
    private ITimer? _expiryTimer;
    private DateTimeOffset _expiresAt;

    private void ArmAuthenticationExpiry()
    {
        if (!_server.Options.CloseOnAuthenticationExpiration || Session.Request.AuthenticationExpiresAt is not { } expiresAt)
        {
            return;
        }
        _expiresAt = expiresAt;
        // Armed only once stored: a due time of zero (already expired) may fire before CreateTimer returns.
        _expiryTimer = _server.Time.CreateTimer(static s => ((SocketIOConnection)s!).OnExpiryTimer(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _expiryTimer.Change(DueIn(expiresAt - _server.Time.GetUtcNow()), Timeout.InfiniteTimeSpan);
    }

    // A timer cannot wait past SettingProblems.MaxTimer (~49.7 days; a year-long token is common): it fires
    // early and re-arms for what is left.
    private static TimeSpan DueIn(TimeSpan left) =>
        left <= TimeSpan.Zero ? TimeSpan.Zero : left > SettingProblems.MaxTimer ? SettingProblems.MaxTimer : left;

    private void OnExpiryTimer()
    {
        var left = _expiresAt - _server.Time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            _expiryTimer?.Change(DueIn(left), Timeout.InfiniteTimeSpan);
            return;
        }
        if (Interlocked.Exchange(ref _expiryTimer, null) is not { } timer)
        {
            return; // the connection closed meanwhile
        }
        timer.Dispose();
        if (_server.Options.AuthenticationExpiredEvent is { } eventName)
        {
            foreach (var socket in Snapshot())
            {
                // Queued before the DISCONNECTs below, so the client reads why before it is disconnected.
                socket.Emit(eventName, ExpiredPayload, Protocol.SocketIOJsonContext.Payload.DictionaryStringString);
            }
        }
        Close(DisconnectReason.AuthenticationExpired, notifyClient: true);
    }

    private static readonly Dictionary<string, string> ExpiredPayload = new() { ["message"] = "authentication expired" };

    private void DisposeExpiryTimer() => Interlocked.Exchange(ref _expiryTimer, null)?.Dispose();
}
