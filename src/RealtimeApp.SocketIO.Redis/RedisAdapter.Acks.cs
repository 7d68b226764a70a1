using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using MessagePack;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Parsers;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

// Broadcasts with acks across nodes (@socket.io/redis-adapter BROADCAST = 7): the requester publishes a
// msgpack {uid, requestId, type: 7, packet, opts} on the request channel; every other node delivers it to its
// own clients with an ack id of its own, answers JSON {type: 8, requestId, clientCount} once, then msgpack
// {type: 9, requestId, packet: <first ack argument>} per client answer. The requester forgets the request
// after the timeout, as Node does (it cannot know when every answer is in).
internal sealed partial class RedisAdapter
{
    private readonly ConcurrentDictionary<string, (Action<int> OnClientCount, Action<PacketData> OnAck)> _ackRequests =
        new(StringComparer.Ordinal);

    public void BroadcastWithRemoteAcks(EncodedPacket packet, BroadcastOptions options, TimeSpan timeout,
        Action<int> onClientCount, Action<PacketData> onAck)
    {
        var requestId = NewUid();
        _ackRequests[requestId] = (onClientCount, onAck);
        _ = ForgetAfterAsync(requestId, timeout);

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(5);
        writer.Write("uid");
        writer.Write(Uid);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("type");
        writer.Write((int)RequestType.Broadcast);
        writer.Write("packet");
        ClusterBroadcast.WritePacket(ref writer, _nsp, packet.Data);
        writer.Write("opts");
        ClusterBroadcast.WriteOptions(ref writer, options, timeout);
        writer.Flush();
        Publish(_channels.Request, buffer.WrittenSpan.ToArray());
    }

    private async Task ForgetAfterAsync(string requestId, TimeSpan timeout)
    {
        await Task.Delay(timeout);
        _ackRequests.TryRemove(requestId, out _);
    }

    /// <summary>A msgpack request: a broadcast with acks from another node.</summary>
    private void OnBroadcastWithAckRequest(byte[] message)
    {
        var reader = new MessagePackReader(message);
        string? uid = null, requestId = null;
        int? type = null;
        string nsp = "/";
        byte[]? json = null;
        var attachments = new List<ReadOnlyMemory<byte>>();
        var options = new BroadcastOptions();
        TimeSpan? timeout = null;
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case "uid":
                    uid = reader.ReadString();
                    break;
                case "requestId":
                    requestId = reader.ReadString();
                    break;
                case "type":
                    type = reader.ReadInt32();
                    break;
                case "packet":
                    (nsp, json) = ClusterBroadcast.ReadPacket(ref reader, attachments);
                    break;
                case "opts":
                    var copy = reader.CreatePeekReader();
                    options = ClusterBroadcast.ReadOptions(ref reader);
                    timeout = ReadTimeout(ref copy);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (type != (int)RequestType.Broadcast || uid == Uid || requestId is null || json is null || nsp != _nsp)
        {
            return;
        }

        var reached = _context.DeliverWithAcks(_local.Sockets(options with { Local = true }), new PacketData(json, attachments),
            options.Volatile, timeout ?? Options.RequestsTimeout, answer => PublishAck(requestId, answer));
        Respond(requestId, json =>
        {
            json.WriteNumber("type"u8, (int)RequestType.BroadcastClientCount);
            json.WriteNumber("clientCount"u8, reached);
        });
    }

    private void PublishAck(string requestId, PacketData answer)
    {
        // Node hands on the first argument of each client's ack.
        using var arguments = JsonDocument.Parse(answer.Json);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write((int)RequestType.BroadcastAck);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("packet");
        if (arguments.RootElement.ValueKind != JsonValueKind.Array || arguments.RootElement.GetArrayLength() == 0)
        {
            writer.WriteNil();
        }
        else
        {
            MsgPackJson.WriteValue(ref writer, arguments.RootElement[0], answer.Attachments);
        }
        writer.Flush();
        Publish(_channels.Response, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Type 8 (JSON) and 9 (msgpack) answers to a broadcast with acks this node started.</summary>
    private bool TryHandleAckResponse(byte[] bytes)
    {
        if (bytes[0] == (byte)'{')
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.TryGetProperty("type", out var type) && type.GetInt32() == (int)RequestType.BroadcastClientCount
                && _ackRequests.TryGetValue(root.GetProperty("requestId").GetString()!, out var request))
            {
                request.OnClientCount(root.GetProperty("clientCount").GetInt32());
                return true;
            }
            return false;
        }

        var reader = new MessagePackReader(bytes);
        string? requestId = null;
        byte[]? json = null;
        var attachments = new List<ReadOnlyMemory<byte>>();
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case "requestId":
                    requestId = reader.ReadString();
                    break;
                case "packet":
                    json = ClusterBroadcast.ReadJson(ref reader, attachments);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (requestId is null || json is null || !_ackRequests.TryGetValue(requestId, out var pending))
        {
            return true;
        }
        // The first argument, as an argument list of one: readable like a local client's answer.
        var list = new byte[json.Length + 2];
        list[0] = (byte)'[';
        json.CopyTo(list, 1);
        list[^1] = (byte)']';
        pending.OnAck(new PacketData(list, attachments));
        return true;
    }

    private static TimeSpan? ReadTimeout(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }
        var entries = reader.ReadMapHeader();
        TimeSpan? timeout = null;
        for (var i = 0; i < entries; i++)
        {
            if (reader.ReadString() == "flags" && reader.NextMessagePackType == MessagePackType.Map)
            {
                var flags = reader.ReadMapHeader();
                for (var f = 0; f < flags; f++)
                {
                    if (reader.ReadString() == "timeout" && reader.NextMessagePackType is MessagePackType.Integer or MessagePackType.Float)
                    {
                        timeout = TimeSpan.FromMilliseconds(reader.ReadDouble());
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return timeout;
    }
}
