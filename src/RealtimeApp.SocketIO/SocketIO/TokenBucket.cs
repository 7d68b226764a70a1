using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO;

/// <summary>
/// One socket's event budget: refilled lazily from <see cref="TimeProvider"/> timestamps when an event
/// arrives, so an idle socket costs no timer and no work (a library limiter per socket would be a heavier
/// object per connection). Not thread-safe: a connection's packets are handled one at a time.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _stamp;

    public TokenBucket(RateLimitOptions limit, TimeProvider time)
    {
        _tokens = limit.Burst;
        _stamp = time.GetTimestamp();
    }

    public bool TryTake(RateLimitOptions limit, TimeProvider time)
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_stamp, now).TotalSeconds;
        _stamp = now;
        _tokens = Math.Min(limit.Burst, _tokens + elapsed * limit.PermitsPerSecond);
        if (_tokens < 1)
        {
            return false;
        }
        _tokens -= 1;
        return true;
    }
}
