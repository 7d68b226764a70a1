namespace RealtimeApp.SocketIO.AdminUI;

/// <summary>
/// Node's EventBuffer: counts per (second, type, subType), handed to <c>server_stats</c> as
/// <c>aggregatedEvents</c> and cleared. Called from every receive loop, hence the lock (held for a dictionary update).
/// </summary>
internal sealed class AdminEventBuffer(TimeProvider time)
{
    private readonly Dictionary<(long Timestamp, string Type, string? SubType), long> _counts = [];
    private readonly Lock _gate = new();

    public void Push(string type, string? subType = null, long count = 1)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var key = (now - now % 1000, type, subType); // timestamp.setMilliseconds(0)
        lock (_gate)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + count;
        }
    }

    public List<(long Timestamp, string Type, string? SubType, long Count)> TakeAll()
    {
        lock (_gate)
        {
            var values = _counts.Select(static p => (p.Key.Timestamp, p.Key.Type, p.Key.SubType, p.Value)).ToList();
            _counts.Clear();
            return values;
        }
    }
}
