using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.EngineIO;

// The operator's limits on new sessions (MaxSessions, HandshakeRateLimit) and the shutdown gate. They
// are checked before a session exists, so a refusal costs one small HTTP response and nothing is kept.
// The refusals keep the protocol's JSON shape ({"code","message"}) so clients that log the error body
// show the reason; the status (429/503) is what proxies and clients' retry logic act on.
public sealed partial class EngineServer
{
    private int _reservedSessions;
    private long _refusedHandshakes;
    private volatile bool _shuttingDown;

    // A partitioned limiter (System.Threading.RateLimiting, in the shared framework) rather than a
    // dictionary of buckets: it replenishes on one timer and drops the buckets of idle addresses itself.
    private readonly PartitionedRateLimiter<IPAddress>? _handshakeLimiter;

    /// <summary>Handshakes refused by <see cref="EngineIOOptions.MaxSessions"/>, the handshake rate or shutdown.</summary>
    public long RefusedHandshakes => Interlocked.Read(ref _refusedHandshakes);

    /// <summary>True once <see cref="BeginShutdown"/> ran: new handshakes are refused with 503.</summary>
    public bool IsShuttingDown => _shuttingDown;

    /// <summary>Refuses new sessions from now on ("Server shutting down", 503); open ones go on.</summary>
    public void BeginShutdown() => _shuttingDown = true;

    private static PartitionedRateLimiter<IPAddress>? CreateHandshakeLimiter(RateLimitOptions? limit)
    {
        if (limit is null)
        {
            return null;
        }
        // One permit per period of 1/rate seconds; the bucket holds Burst of them.
        var period = TimeSpan.FromSeconds(1 / limit.PermitsPerSecond);
        return PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(
            address, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <returns>
    /// null when a new session may open (a slot is then reserved: <see cref="Open"/> keeps it, <see cref="Remove"/>
    /// frees it); otherwise the HTTP status and message to refuse with (error code 4), and what refused it (the
    /// option's name, or "Shutdown") for the log.
    /// </returns>
    private (int Status, string Message, string Limit)? TryAdmitHandshake(HttpContext context)
    {
        (int, string, string)? refusal = null;
        if (_shuttingDown)
        {
            refusal = (StatusCodes.Status503ServiceUnavailable, "Server shutting down", "Shutdown");
        }
        else if (_handshakeLimiter is { } limiter && !IsAcquired(limiter, context))
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(1 / Options.HandshakeRateLimit!.PermitsPerSecond));
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            refusal = (StatusCodes.Status429TooManyRequests, "Too many handshakes", nameof(EngineIOOptions.HandshakeRateLimit));
        }
        else if (!TryReserveSession())
        {
            refusal = (StatusCodes.Status503ServiceUnavailable, "Too many sessions", nameof(EngineIOOptions.MaxSessions));
        }
        if (refusal is not null)
        {
            Interlocked.Increment(ref _refusedHandshakes);
        }
        return refusal;
    }

    private static bool IsAcquired(PartitionedRateLimiter<IPAddress> limiter, HttpContext context)
    {
        using var lease = limiter.AttemptAcquire(context.Connection.RemoteIpAddress ?? IPAddress.None);
        return lease.IsAcquired;
    }

    // Reserve-then-open, so concurrent handshakes can never overshoot MaxSessions.
    private bool TryReserveSession()
    {
        var max = Options.MaxSessions ?? int.MaxValue;
        while (true)
        {
            var current = Volatile.Read(ref _reservedSessions);
            if (current >= max)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _reservedSessions, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    private void ReleaseSession() => Interlocked.Decrement(ref _reservedSessions);
}
