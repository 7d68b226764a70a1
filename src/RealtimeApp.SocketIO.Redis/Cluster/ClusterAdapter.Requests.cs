using System.Collections.Concurrent;
using System.Text.Json;
using RealtimeApp.SocketIO.Adapters;

namespace RealtimeApp.SocketIO.Redis.Cluster;

// Requests between nodes, as socket.io-adapter's ClusterAdapter makes them: fetchSockets and serverSideEmit wait
// for one answer per other node (ServerCountAsync - 1), matched by requestId; a broadcast with acks reports each
// node's client count and each client's answer until its timeout, after which the request is forgotten (nobody can
// know when the last answer is in).
internal abstract partial class ClusterAdapter
{
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Action<int> OnClientCount, Action<PacketData> OnAck)> _ackRequests =
        new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IReadOnlyList<RemoteSocket>> FetchRemoteSocketsAsync(BroadcastOptions options)
    {
        var responses = await RequestAsync(ClusterMessageType.FetchSockets,
            requestId => ClusterData.Write(json => { ClusterData.WriteOptions(json, options, null); json.WriteString("requestId"u8, requestId); }),
            Options.RequestsTimeout);
        var sockets = new List<RemoteSocket>();
        foreach (var response in responses)
        {
            if (response.TryGetProperty("sockets", out var list))
            {
                FetchedSockets.Read(list, Context.Namespace, sockets);
            }
        }
        return sockets;
    }

    /// <inheritdoc />
    public async Task<JsonElement[]> ServerSideEmitAsync(string eventName, object?[] args, TimeSpan? timeout)
    {
        byte[] Data(string? requestId) => ClusterData.Write(json =>
        {
            if (requestId is not null)
            {
                json.WriteString("requestId"u8, requestId); // its presence asks for answers
            }
            json.WritePropertyName("packet"u8);
            JsonSerializer.Serialize(json, (object?[])[eventName, .. args], Context.JsonOptions);
        });
        if (timeout is null)
        {
            Publish(Message(ClusterMessageType.ServerSideEmit, Data(null)));
            return [];
        }
        var responses = await RequestAsync(ClusterMessageType.ServerSideEmit, Data, timeout.Value);
        return [.. responses.Select(r => r.TryGetProperty("packet", out var packet) ? packet : default)];
    }

    /// <inheritdoc />
    public void BroadcastWithRemoteAcks(EncodedPacket packet, BroadcastOptions options, TimeSpan timeout,
        Action<int> onClientCount, Action<PacketData> onAck)
    {
        var requestId = RandomId();
        _ackRequests[requestId] = (onClientCount, onAck);
        _ = ForgetAckRequestAfterAsync(requestId, timeout);
        var data = packet.Data;
        PublishBroadcastWithAcks(Message(ClusterMessageType.Broadcast, ClusterData.Broadcast(Nsp, data, options, requestId, timeout), data.Attachments));
    }

    private async Task ForgetAckRequestAfterAsync(string requestId, TimeSpan timeout)
    {
        await Task.Delay(timeout, Context.Time);
        _ackRequests.TryRemove(requestId, out _);
    }

    /// <summary>Publishes a request and waits for one answer per other node (none to wait for on a one-node cluster).</summary>
    private async Task<List<JsonElement>> RequestAsync(ClusterMessageType type, Func<string, byte[]> data, TimeSpan timeout)
    {
        var expected = await ServerCountAsync() - 1;
        if (expected <= 0)
        {
            return [];
        }
        var requestId = RandomId();
        var pending = new PendingRequest(expected);
        _requests[requestId] = pending;
        try
        {
            Publish(Message(type, data(requestId)));
            await pending.Done.Task.WaitAsync(timeout, Context.Time);
            return pending.Responses;
        }
        catch (TimeoutException)
        {
            // Node's message, for both kinds of request.
            throw new TimeoutException($"timeout reached: only {pending.Responses.Count} responses received out of {expected}");
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    /// <summary>An answer to a request of this node (Node's <c>onResponse</c>).</summary>
    protected void OnResponse(ClusterMessage response)
    {
        try
        {
            using var document = response.ParseData();
            var data = document.RootElement;
            if (!data.TryGetProperty("requestId", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return;
            }
            var requestId = id.GetString()!;
            switch (response.Type)
            {
                case ClusterMessageType.BroadcastClientCount when _ackRequests.TryGetValue(requestId, out var request)
                    && data.TryGetProperty("clientCount", out var count) && count.TryGetInt32(out var clientCount):
                    request.OnClientCount(clientCount);
                    break;
                case ClusterMessageType.BroadcastAck when _ackRequests.TryGetValue(requestId, out var request):
                    // The client's first argument, as an argument list of one: readable like a local client's answer.
                    var answer = data.TryGetProperty("packet", out var packet) ? JsonMarshal(packet) : "null"u8.ToArray();
                    request.OnAck(new PacketData((byte[])[(byte)'[', .. answer, (byte)']'], response.Attachments));
                    break;
                case ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse
                    when _requests.TryGetValue(requestId, out var pending):
                    pending.Add(data.Clone());
                    break;
                default:
                    break;
            }
        }
        catch (JsonException ex)
        {
            ClusterAdapterLog.BadMessage(Logger, Nsp, (int)response.Type, response.Uid, ex);
        }
    }

    private void OnFetchSockets(string requesterUid, JsonElement data)
    {
        if (!data.TryGetProperty("requestId", out var requestId) || requestId.ValueKind != JsonValueKind.String)
        {
            return;
        }
        var selection = ClusterData.ReadOptions(data) with { Local = true };
        PublishResponse(requesterUid, Message(ClusterMessageType.FetchSocketsResponse, ClusterData.Write(json =>
        {
            json.WriteString("requestId"u8, requestId.GetString());
            json.WritePropertyName("sockets"u8);
            FetchedSockets.Write(json, Context, Local.Sockets(selection));
        })));
    }

    private void OnServerSideEmit(string requesterUid, JsonElement data)
    {
        if (!data.TryGetProperty("packet", out var packet) || packet.ValueKind != JsonValueKind.Array
            || packet.GetArrayLength() == 0 || packet[0].ValueKind != JsonValueKind.String)
        {
            return;
        }
        var arguments = JsonSerializer.SerializeToElement(packet.EnumerateArray().Skip(1).ToArray(), Context.JsonOptions);
        Action<object?>? ack = null;
        if (data.TryGetProperty("requestId", out var requestId) && requestId.ValueKind == JsonValueKind.String)
        {
            var id = requestId.GetString()!;
            ack = value => PublishResponse(requesterUid, Message(ClusterMessageType.ServerSideEmitResponse, ClusterData.Write(json =>
            {
                json.WriteString("requestId"u8, id);
                json.WritePropertyName("packet"u8);
                JsonSerializer.Serialize(json, value, Context.JsonOptions);
            })));
        }
        Context.RaiseServerSideEvent(packet[0].GetString()!, arguments, ack);
    }

    /// <summary>Another node's broadcast with acks: delivered here with this node's ack id, each answer sent back.</summary>
    private void OnBroadcastWithAck(ClusterMessage message, JsonElement data, string requestId)
    {
        if (ClusterData.PacketData(data, message.Attachments) is not { } packetData)
        {
            return;
        }
        var options = ClusterData.ReadOptions(data) with { Local = true };
        var requester = message.Uid;
        var reached = Context.DeliverWithAcks(Local.Sockets(options), packetData, options.Volatile,
            ClusterData.ReadTimeout(data) ?? Options.RequestsTimeout, answer => PublishAck(requester, requestId, answer));
        PublishResponse(requester, Message(ClusterMessageType.BroadcastClientCount, ClusterData.Write(json =>
        {
            json.WriteString("requestId"u8, requestId);
            json.WriteNumber("clientCount"u8, reached);
        })));
    }

    private void PublishAck(string requesterUid, string requestId, PacketData answer)
    {
        // Node hands on the first argument of each client's answer.
        using var arguments = JsonDocument.Parse(answer.Json);
        var first = arguments.RootElement.ValueKind == JsonValueKind.Array && arguments.RootElement.GetArrayLength() > 0
            ? JsonMarshal(arguments.RootElement[0])
            : "null"u8.ToArray();
        PublishResponse(requesterUid, Message(ClusterMessageType.BroadcastAck, ClusterData.Write(json =>
        {
            json.WriteString("requestId"u8, requestId);
            json.WritePropertyName("packet"u8);
            json.WriteRawValue(first, skipInputValidation: true);
        }), answer.Attachments));
    }

    private static byte[] JsonMarshal(JsonElement element) =>
        System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray();
}
