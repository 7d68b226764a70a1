using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.Adapters;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis.Streams;

/// <summary>
/// Reads one stream with <c>XREAD BLOCK</c> and hands each entry, in stream order, to the adapter of its namespace
/// — this node's own entries included: every broadcast reaches local sockets from the stream, with its entry id as
/// the recovery offset, so all sockets of a node see one order and a recovering socket joins it at an exact point
/// (<see cref="Gate"/>, <see cref="Position"/>). A blocking read would hold up every other command of a
/// multiplexed connection, so each reader has a connection of its own (Node's adapter duplicates its client per
/// stream for the same reason). While Redis is away it retries from its last id: what was written before the
/// outage and is still in the stream is read after it.
/// </summary>
internal sealed class RedisStreamReader : IDisposable
{
    private readonly string _stream;
    private readonly ConfigurationOptions _configuration;
    private readonly RedisAdapterOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RedisStreamsAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public RedisStreamReader(string stream, ConfigurationOptions configuration, RedisAdapterOptions options, ILogger logger)
    {
        _stream = stream;
        _configuration = configuration.Clone();
        // Longer than one blocking read, or the client would time it out while Redis just has nothing to say.
        _configuration.AsyncTimeout = (int)Math.Min(int.MaxValue, options.BlockTime.TotalMilliseconds + 5000);
        _configuration.SyncTimeout = _configuration.AsyncTimeout;
        _options = options;
        _logger = logger;
        _loop = Task.Run(ReadAsync);
    }

    /// <summary>Held while an entry is handed out, and by a recovery while it joins its socket to the stream's order.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The last entry handed out (read under <see cref="Gate"/>); null until the reader knows where the stream ends.</summary>
    public string? Position { get; private set; }

    /// <summary>Completes once <see cref="Position"/> is known (tests wait for it before writing).</summary>
    public Task Started => _started.Task;

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(RedisStreamsAdapter adapter) => _adapters[adapter.Namespace] = adapter;

    public void Remove(RedisStreamsAdapter adapter) => _adapters.TryRemove(new(adapter.Namespace, adapter));

    private async Task ReadAsync()
    {
        // AbortOnConnectFail is off: this returns at once, connected or not, and the reads below retry until Redis is there.
        using var redis = await ConnectionMultiplexer.ConnectAsync(_configuration);
        var db = redis.GetDatabase();
        var failures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (Position is null)
                {
                    // Start after the stream's current end (Node starts from "$"), as a concrete id a recovery can compare with.
                    var last = await db.StreamRangeAsync(_stream, "-", "+", count: 1, messageOrder: Order.Descending);
                    Position = last.Length > 0 ? last[0].Id.ToString() : "0-0";
                    _started.TrySetResult();
                }
                var result = await db.ExecuteAsync("XREAD", "COUNT", _options.ReadCount,
                    "BLOCK", (long)_options.BlockTime.TotalMilliseconds, "STREAMS", (RedisKey)_stream, Position);
                if (failures > 0)
                {
                    RedisStreamsLog.Resumed(_logger, _stream, Position);
                    failures = 0;
                }
                if (!result.IsNull)
                {
                    HandOut(result);
                }
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                // Redis away (connection, timeout), or an answer of a shape it cannot read: the reader must not die,
                // or this node would stop getting the cluster's broadcasts. It tries again from its last id.
                if (failures++ == 0)
                {
                    RedisStreamsLog.ReadFailed(_logger, _stream, Position, ex);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * failures, 1000)), CancellationToken.None);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    // XREAD's answer: [[stream, [[id, [field, value, …]], …]]].
    private void HandOut(RedisResult result)
    {
        // One write per local socket for the whole read, not one per entry.
        using var batch = AdapterContext.BatchDeliveries();
        foreach (var stream in (RedisResult[])result!)
        {
            foreach (var entry in (RedisResult[])((RedisResult[])stream!)[1]!)
            {
                var parts = (RedisResult[])entry!;
                var id = parts[0].ToString()!;
                var fields = (RedisResult[])parts[1]!;
                string? uid = null, nsp = null, type = null, data = null;
                for (var i = 0; i + 1 < fields.Length; i += 2)
                {
                    switch (fields[i].ToString())
                    {
                        case "uid": uid = fields[i + 1].ToString(); break;
                        case "nsp": nsp = fields[i + 1].ToString(); break;
                        case "type": type = fields[i + 1].ToString(); break;
                        case "data": data = fields[i + 1].ToString(); break;
                    }
                }
                lock (Gate)
                {
                    try
                    {
                        if (nsp is not null && _adapters.TryGetValue(nsp, out var adapter))
                        {
                            adapter.OnStreamEntry(id, uid, type, data);
                        }
                    }
                    catch (Exception ex)
                    {
                        // One entry that cannot be handed out must not hold up the ones after it.
                        RedisStreamsLog.EntrySkipped(_logger, _stream, id, ex);
                    }
                    Position = id;
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        // The blocked read returns within BlockTime; the loop then ends and closes its connection.
        _ = _loop.ContinueWith(static _ => { }, TaskScheduler.Default);
    }
}

internal static partial class RedisStreamsLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Redis stream {Stream} could not be read after {Position}; retrying")]
    public static partial void ReadFailed(ILogger logger, string stream, string? position, Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Redis stream {Stream} read again after {Position}")]
    public static partial void Resumed(ILogger logger, string stream, string? position);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Redis stream {Stream}: entry {Id} could not be handed out; skipped")]
    public static partial void EntrySkipped(ILogger logger, string stream, string id, Exception exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "Redis streams adapter for {Namespace} could not write to the stream: {Why}")]
    public static partial void NotWritten(ILogger logger, string @namespace, string why);
}
