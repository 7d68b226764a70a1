using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Parsers;
using RealtimeApp.SocketIO.Redis.Cluster;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis.Streams;

// Connection state recovery across nodes, as @socket.io/redis-streams-adapter does it: a socket that lost its
// connection is kept as base64 msgpack {sid, pid, rooms, data} under {SessionKeyPrefix}{pid} for the recovery window;
// a client that comes back through any node presents its pid and the id of the last entry it got, and gets the
// session (taken once: GETDEL) and the broadcasts to its rooms written after that id (XRANGE).
internal sealed partial class RedisStreamsAdapter
{
    /// <summary>Entries per XRANGE page while catching a recovering socket up.</summary>
    private const int RestorePageSize = 500;

    /// <summary>Pages read at most before giving up (Node stops after 100 XRANGE calls too).</summary>
    private const int RestoreMaxPages = 100;

    /// <inheritdoc />
    public void PersistSession(PersistedSession session)
    {
        if (Context.Recovery is not { } recovery)
        {
            return;
        }
        var value = Convert.ToBase64String(EncodeSession(session));
        // Not awaited, as Node (a session lost with Redis only means that client starts a new one), but tracked: a
        // node shutting down persists every socket it closes, and waits for those writes before it lets go.
        var write = _redis.GetDatabase().StringSetAsync(Options.SessionKeyPrefix + session.Pid, value, recovery.MaxDisconnectionDuration);
        _persisting.TryAdd(write, 0);
        write.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task<bool>, byte>)state!).TryRemove(done, out _),
            _persisting, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private readonly ConcurrentDictionary<Task<bool>, byte> _persisting = new();

    /// <summary>Waits (at most <paramref name="timeout"/>) for the session writes still under way.</summary>
    internal async Task FlushSessionsAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_persisting.Keys).WaitAsync(timeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisStreamsLog.NotWritten(Logger, Nsp, $"sessions not kept at shutdown: {ex.Message}");
        }
    }

    /// <summary>
    /// Takes the session and the broadcasts it missed; then, under the stream reader's gate, registers the socket and
    /// its rooms at the point the reader has reached: every entry up to it is in the missed list, every later one the
    /// reader will hand to the socket, none twice. Null when the session or the offset is gone, or Redis cannot be read.
    /// </summary>
    public async ValueTask<RestoredSession?> RestoreSessionAsync(string pid, string offset, Action<PersistedSession> claim)
    {
        if (!StreamIds.IsValid(offset))
        {
            return null; // not one of ours (Node refuses it the same way)
        }
        try
        {
            var db = _redis.GetDatabase();
            var sessionTask = db.StringGetDeleteAsync(Options.SessionKeyPrefix + pid);
            var offsetTask = db.StreamRangeAsync(_stream, offset, offset, count: 1);
            var (stored, offsetEntry) = (await sessionTask, await offsetTask);
            if (stored.IsNullOrEmpty || offsetEntry.Length == 0 || DecodeSession(stored.ToString()) is not { } session || session.Pid != pid)
            {
                return null;
            }
            var missed = new List<EncodedPacket>();
            var from = offset;
            for (var page = 0; page < RestoreMaxPages; page++)
            {
                // "(" = exclusive start (Redis 6.2+).
                var entries = await db.StreamRangeAsync(_stream, "(" + from, "+", count: RestorePageSize);
                lock (_reader.Gate)
                {
                    if (_reader.Position is not { } position)
                    {
                        return null;
                    }
                    var caughtUp = false;
                    foreach (var entry in entries)
                    {
                        if (StreamIds.Compare(entry.Id!, position) > 0)
                        {
                            caughtUp = true; // the reader has not handed this one out yet: the socket will get it from there
                            break;
                        }
                        AddIfMissed(entry, session.Rooms, missed);
                        from = entry.Id!;
                    }
                    // Otherwise the reader has handed out entries written after this page was read: read on.
                    if (caughtUp || StreamIds.Compare(from, position) >= 0)
                    {
                        claim(session);
                        AddAll(session.Sid, session.Rooms);
                        return new RestoredSession(session, missed);
                    }
                }
            }
            return null; // the stream grows faster than it can be read back: a new session rather than a gap
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisStreamsLog.NotWritten(Logger, Nsp, $"recovery read failed: {ex.Message}");
            return null;
        }
    }

    // Node's shouldIncludePacket: a broadcast of this namespace to everyone or to one of the rooms, excluded by none.
    private void AddIfMissed(StreamEntry entry, IReadOnlyCollection<string> rooms, List<EncodedPacket> missed)
    {
        string? Field(string name)
        {
            foreach (var value in entry.Values)
            {
                if (value.Name == name)
                {
                    return value.Value.ToString();
                }
            }
            return null;
        }
        if (Field("nsp") != Nsp || Field("type") != "3"
            || ClusterMessageCodec.FromStreamEntry(Field("uid"), Nsp, "3", Field("data")) is not { } message)
        {
            return;
        }
        using var document = message.ParseData();
        var data = document.RootElement;
        var target = ClusterData.ReadOptions(data);
        if (target.Volatile || data.TryGetProperty("requestId", out _)
            || !(target.Rooms.Count == 0 || rooms.Any(target.Rooms.Contains)) || rooms.Any(target.Except.Contains))
        {
            return;
        }
        var id = entry.Id.ToString();
        if (ClusterData.PacketData(data, message.Attachments, id) is { } packetData)
        {
            missed.Add(EncodedPacket.Event(Nsp, packetData, id));
        }
    }

    /// <summary>Node's session object as msgpack: <c>{sid, pid, rooms, data}</c>.</summary>
    private byte[] EncodeSession(PersistedSession session)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("sid");
        writer.Write(session.Sid);
        writer.Write("pid");
        writer.Write(session.Pid);
        writer.Write("rooms");
        writer.WriteArrayHeader(session.Rooms.Count);
        foreach (var room in session.Rooms)
        {
            writer.Write(room);
        }
        writer.Write("data");
        var data = JsonSerializer.SerializeToElement(session.Data, Context.JsonOptions);
        MsgPackJson.WriteValue(ref writer, data, []);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static PersistedSession? DecodeSession(string base64)
    {
        try
        {
            var attachments = new List<ReadOnlyMemory<byte>>();
            if (MsgPackJson.ToJson(Convert.FromBase64String(base64), attachments, int.MaxValue, out var json) != Protocol.SocketDecodeError.None)
            {
                return null;
            }
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sid", out var sid) || sid.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("pid", out var pid) || pid.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var rooms = ClusterData.Strings(root, "rooms");
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (root.TryGetProperty("data", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in values.EnumerateObject())
                {
                    data[property.Name] = property.Value.Clone(); // values from another node arrive as JSON
                }
            }
            return new PersistedSession(sid.GetString()!, pid.GetString()!, rooms, data);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
