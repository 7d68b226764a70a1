namespace RealtimeApp.SocketIO.EngineIO;

/// <summary>
/// A token bucket: up to <see cref="Burst"/> permits at once, refilled at <see cref="PermitsPerSecond"/>.
/// Used for the handshake rate per client IP (<see cref="EngineIOOptions.HandshakeRateLimit"/>) and the
/// event rate per socket (<c>SocketIOOptions.EventRateLimit</c>).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Permits added per second (fractions allowed, e.g. 0.5 = one every 2 s). Default 10.</summary>
    public double PermitsPerSecond { get; set; } = 10;

    /// <summary>Bucket size: how many may be used at once after a quiet period. Default 20.</summary>
    public int Burst { get; set; } = 20;
}
