namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>Counts failures during a measurement (lost connections, request errors) and keeps the first reason.</summary>
internal sealed class LossCounter(string what = "connections lost")
{
    private long _count;
    private string? _firstReason;

    public long Count => Interlocked.Read(ref _count);

    public void OnLost(string reason)
    {
        Interlocked.Increment(ref _count);
        Interlocked.CompareExchange(ref _firstReason, reason, null);
    }

    public string? Note => Count > 0 ? $"{Count} {what} (first: {_firstReason})" : null;
}
