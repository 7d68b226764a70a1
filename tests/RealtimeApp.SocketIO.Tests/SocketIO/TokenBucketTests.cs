using Microsoft.Extensions.Time.Testing;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>The per-socket event budget on a fake clock: burst, then refill at the rate, never above the burst.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void Gives_the_burst_then_refills_at_the_rate_up_to_the_burst()
    {
        var time = new FakeTimeProvider();
        var limit = new RateLimitOptions { Burst = 3, PermitsPerSecond = 2 };
        var bucket = new TokenBucket(limit, time);

        Assert.Equal([true, true, true, false], Take(4));
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(bucket.TryTake(limit, time));
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(bucket.TryTake(limit, time));
        Assert.False(bucket.TryTake(limit, time));

        // A long quiet period refills to the burst, not beyond.
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([true, true, true, false], Take(4));

        bool[] Take(int n) => [.. Enumerable.Range(0, n).Select(_ => bucket.TryTake(limit, time))];
    }
}
