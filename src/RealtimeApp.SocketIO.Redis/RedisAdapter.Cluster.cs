using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

// Cluster operations this node starts: the other nodes' share of socketsJoin/Leave, disconnectSockets and
// fetchSockets, as @socket.io/redis-adapter requests (JSON on {key}-request#{nsp}#). Answers come on the
// response channels and are matched by requestId; a request waits for ServerCount - 1 of them.
internal sealed partial class RedisAdapter
{
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);

    public void AddRemoteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishRequest(RequestType.RemoteJoin, null, json => { WriteSelection(json, options); WriteStrings(json, "rooms", rooms); });

    public void DeleteRemoteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishRequest(RequestType.RemoteLeave, null, json => { WriteSelection(json, options); WriteStrings(json, "rooms", rooms); });

    public void DisconnectRemoteSockets(BroadcastOptions options, bool close) =>
        PublishRequest(RequestType.RemoteDisconnect, null, json => { WriteSelection(json, options); json.WriteBoolean("close"u8, close); });

    public async Task<IReadOnlyList<RemoteSocket>> FetchRemoteSocketsAsync(BroadcastOptions options)
    {
        var responses = await RequestAsync(RequestType.RemoteFetch, json => WriteSelection(json, options), "fetchSockets");
        var sockets = new List<RemoteSocket>();
        // A node may answer without a list (Node counts it and moves on): only lists are read.
        foreach (var response in responses)
        {
            if (response.TryGetProperty("sockets", out var list))
            {
                FetchedSockets.Read(list, _context.Namespace, sockets);
            }
        }
        return sockets;
    }

    public async Task<IReadOnlyCollection<string>> RemoteRoomsAsync()
    {
        var responses = await RequestAsync(RequestType.AllRooms, static _ => { }, "allRooms");
        return [.. responses
            .Where(r => r.TryGetProperty("rooms", out var list) && list.ValueKind == JsonValueKind.Array)
            .SelectMany(r => r.GetProperty("rooms").EnumerateArray().Select(room => room.GetString()!))
            .Distinct(StringComparer.Ordinal)];
    }

    public async Task<JsonElement[]> ServerSideEmitAsync(string eventName, object?[] args, TimeSpan? timeout)
    {
        void Data(Utf8JsonWriter json)
        {
            json.WritePropertyName("data"u8);
            JsonSerializer.Serialize(json, (object?[])[eventName, .. args], _context.JsonOptions);
        }
        if (timeout is null)
        {
            PublishRequest(RequestType.ServerSideEmit, null, Data);
            return [];
        }
        var responses = await RequestAsync(RequestType.ServerSideEmit, Data, timeout.Value,
            (received, expected) => $"timeout reached: only {received} responses received out of {expected}");
        return [.. responses.Select(r => r.TryGetProperty("data", out var data) ? data : default)];
    }

    /// <summary>Publishes a request and waits for one answer per other node (none to wait for on a one-node cluster).</summary>
    private Task<List<JsonElement>> RequestAsync(RequestType type, Action<Utf8JsonWriter> body, string operation) =>
        RequestAsync(type, body, Options.RequestsTimeout, (_, _) => $"timeout reached while waiting for {operation} response");

    private async Task<List<JsonElement>> RequestAsync(RequestType type, Action<Utf8JsonWriter> body, TimeSpan timeout,
        Func<int, int, string> timeoutMessage)
    {
        var expected = await ServerCountAsync() - 1;
        if (expected <= 0)
        {
            return [];
        }
        var requestId = NewUid();
        var pending = new PendingRequest(expected);
        _pending[requestId] = pending;
        try
        {
            PublishRequest(type, requestId, body);
            await pending.Done.Task.WaitAsync(timeout);
            return pending.Responses;
        }
        catch (TimeoutException)
        {
            var received = pending.Responses.Count;
            throw new TimeoutException(timeoutMessage(received, expected)); // Node's messages
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    private void OnResponse(ChannelMessage message)
    {
        var bytes = (byte[])message.Message!;
        if (bytes.Length == 0)
        {
            return;
        }
        try
        {
            if (TryHandleAckResponse(bytes))
            {
                return;
            }
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String
                && _pending.TryGetValue(id.GetString()!, out var pending))
            {
                pending.Add(document.RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is JsonException or MessagePack.MessagePackSerializationException or EndOfStreamException
            or KeyNotFoundException or InvalidOperationException)
        {
            RedisAdapterLog.RequestFailed(_logger, _nsp, ex);
        }
    }

    private void PublishRequest(RequestType type, string? requestId, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = _context.JsonOptions.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("uid"u8, Uid);
            if (requestId is not null)
            {
                json.WriteString("requestId"u8, requestId);
            }
            json.WriteNumber("type"u8, (int)type);
            body(json);
            json.WriteEndObject();
        }
        Publish(_channels.Request, buffer.WrittenSpan.ToArray());
    }

    private static void WriteSelection(Utf8JsonWriter json, BroadcastOptions options)
    {
        json.WriteStartObject("opts"u8);
        WriteStrings(json, "rooms", options.Rooms);
        WriteStrings(json, "except", options.Except);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyCollection<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }
}
