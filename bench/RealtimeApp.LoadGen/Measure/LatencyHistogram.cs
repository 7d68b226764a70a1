using System.Diagnostics;
using System.Numerics;

namespace RealtimeApp.LoadGen.Measure;

/// <summary>
/// Log-linear (HDR-style) latency histogram over nanoseconds: exact below 256 ns, then 128 linear sub-buckets per
/// power of two, so a bucket is at most 1/128 (0.8 %) of its value wide. Recording is one increment in a fixed
/// array (interlocked, since receive loops run on several pool threads): no allocation per sample.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits; // 128
    private const int ExactLimit = 2 * SubBuckets; // 256: below this every value has its own bucket
    private const int BucketCount = ExactLimit + (63 - SubBucketBits) * SubBuckets;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Records a duration given in <see cref="Stopwatch"/> ticks (negative values count as 0).</summary>
    public void RecordTicks(long ticks)
    {
        var nanoseconds = Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * NanosecondsPerTick);
        Interlocked.Increment(ref _counts[IndexOf(Math.Max(0, nanoseconds))]);
    }

    public long Count
    {
        get
        {
            long total = 0;
            foreach (var count in _counts)
            {
                total += Volatile.Read(in count);
            }
            return total;
        }
    }

    /// <summary>The value (µs, bucket midpoint) below which <paramref name="quantile"/> of the samples lie; NaN when empty.</summary>
    public double PercentileMicroseconds(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            seen += Volatile.Read(in _counts[index]);
            if (seen >= rank)
            {
                return MidpointNanoseconds(index) / 1000.0;
            }
        }
        return MidpointNanoseconds(_counts.Length - 1) / 1000.0;
    }

    private static int IndexOf(long nanoseconds)
    {
        if (nanoseconds < ExactLimit)
        {
            return (int)nanoseconds;
        }
        var shift = BitOperations.Log2((ulong)nanoseconds) - SubBucketBits; // >= 1; value >> shift is in [128, 256)
        var top = (int)(nanoseconds >> shift);
        return ExactLimit + (shift - 1) * SubBuckets + (top - SubBuckets);
    }

    private static double MidpointNanoseconds(int index)
    {
        if (index < ExactLimit)
        {
            return index;
        }
        var shift = (index - ExactLimit) / SubBuckets + 1;
        var top = (index - ExactLimit) % SubBuckets + SubBuckets;
        return ((double)top + 0.5) * Math.Pow(2, shift);
    }
}
