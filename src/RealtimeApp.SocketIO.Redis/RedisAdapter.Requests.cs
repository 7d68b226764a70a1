using System.Buffers;
using System.Text.Json;
using MessagePack;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Adapters;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

// Requests from the other nodes (@socket.io/redis-adapter RequestType), JSON on {key}-request#{nsp}#. A node
// that does not answer makes Node peers wait for the request timeout, so every lookup is answered; the
// socket operations (join, leave, disconnect) are applied to the local sockets they select, whoever sent them.
internal sealed partial class RedisAdapter
{
    private enum RequestType
    {
        Sockets = 0,
        AllRooms = 1,
        RemoteJoin = 2,
        RemoteLeave = 3,
        RemoteDisconnect = 4,
        RemoteFetch = 5,
        ServerSideEmit = 6,
        Broadcast = 7,
        BroadcastClientCount = 8,
        BroadcastAck = 9,
    }

    private void OnRequest(ChannelMessage message)
    {
        var bytes = (byte[])message.Message!;
        if (bytes.Length == 0)
        {
            return;
        }
        if (bytes[0] != (byte)'{')
        {
            // The one msgpack request: a broadcast with acks (it may carry binary).
            try
            {
                OnBroadcastWithAckRequest(bytes);
            }
            catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or JsonException)
            {
                RedisAdapterLog.RequestFailed(_logger, _nsp, ex);
            }
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var request = document.RootElement;
            if (request.TryGetProperty("uid", out var uid) && uid.GetString() == Uid)
            {
                return; // our own: already applied locally when it was made
            }
            switch ((RequestType)request.GetProperty("type").GetInt32())
            {
                case RequestType.Sockets:
                    Respond(request, (json) =>
                    {
                        json.WriteStartArray("sockets"u8);
                        foreach (var id in _local.Sockets(new() { Rooms = Strings(request, "rooms") }))
                        {
                            json.WriteStringValue(id);
                        }
                        json.WriteEndArray();
                    });
                    break;
                case RequestType.AllRooms:
                    Respond(request, (json) =>
                    {
                        json.WriteStartArray("rooms"u8);
                        foreach (var room in _local.AllRooms())
                        {
                            json.WriteStringValue(room);
                        }
                        json.WriteEndArray();
                    });
                    break;
                case RequestType.RemoteJoin or RequestType.RemoteLeave:
                    ApplyRoomChange(request, join: request.GetProperty("type").GetInt32() == (int)RequestType.RemoteJoin);
                    break;
                case RequestType.RemoteDisconnect:
                    ApplyDisconnect(request);
                    break;
                case RequestType.RemoteFetch:
                    Respond(request, (json) => WriteFetchedSockets(json, Selection(request)));
                    break;
                case RequestType.ServerSideEmit:
                    OnServerSideEmit(request);
                    break;
                default:
                    // Answers to our own requests come on the response channels, not here.
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            RedisAdapterLog.RequestFailed(_logger, _nsp, ex);
        }
    }

    private void OnServerSideEmit(JsonElement request)
    {
        var data = request.GetProperty("data");
        var arguments = JsonSerializer.SerializeToElement(data.EnumerateArray().Skip(1));
        Action<object?>? ack = null;
        if (request.TryGetProperty("requestId", out var requestId))
        {
            // Answered on the common response channel, whatever the requester's setting (as Node does).
            var id = requestId.GetString()!;
            ack = value => Respond(id, json =>
            {
                json.WriteNumber("type"u8, (int)RequestType.ServerSideEmit);
                json.WritePropertyName("data"u8);
                JsonSerializer.Serialize(json, value, _context.JsonOptions);
            });
        }
        _context.RaiseServerSideEvent(data[0].GetString()!, arguments, ack);
    }

    private void ApplyRoomChange(JsonElement request, bool join)
    {
        var rooms = Strings(request, "rooms");
        if (request.TryGetProperty("sid", out var sid))
        {
            // The legacy single-socket form: answered only by the node that has the socket.
            if (_context.FindSocket(sid.GetString()!) is { } socket && request.TryGetProperty("room", out var room))
            {
                if (join)
                {
                    socket.Join(room.GetString()!);
                }
                else
                {
                    socket.Leave(room.GetString()!);
                }
                Respond(request, static _ => { });
            }
            return;
        }
        foreach (var id in _local.Sockets(Selection(request)))
        {
            if (join)
            {
                _local.AddAll(id, rooms);
            }
            else
            {
                foreach (var room in rooms)
                {
                    _local.Delete(id, room);
                }
            }
        }
    }

    private void ApplyDisconnect(JsonElement request)
    {
        var close = request.TryGetProperty("close", out var c) && c.ValueKind == JsonValueKind.True;
        if (request.TryGetProperty("sid", out var sid))
        {
            if (_context.FindSocket(sid.GetString()!) is { } socket)
            {
                socket.Disconnect(close);
                Respond(request, static _ => { });
            }
            return;
        }
        foreach (var id in _local.Sockets(Selection(request)))
        {
            _context.FindSocket(id)?.Disconnect(close);
        }
    }

    /// <summary>REMOTE_FETCH entries: <c>{id, handshake, rooms, data}</c>, the handshake as Node's socket.handshake.</summary>
    private void WriteFetchedSockets(Utf8JsonWriter json, BroadcastOptions selection)
    {
        json.WritePropertyName("sockets"u8);
        FetchedSockets.Write(json, _context, _local.Sockets(selection));
    }

    /// <summary>Answers on the common response channel (every node listens there): <c>{requestId, …}</c>.</summary>
    private void Respond(JsonElement request, Action<Utf8JsonWriter> body) =>
        Respond(request.GetProperty("requestId").GetString()!, body);

    private void Respond(string requestId, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = _context.JsonOptions.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("requestId"u8, requestId);
            body(json);
            json.WriteEndObject();
        }
        Publish(_channels.Response, buffer.WrittenSpan.ToArray());
    }

    private static BroadcastOptions Selection(JsonElement request) =>
        request.TryGetProperty("opts", out var opts) && opts.ValueKind == JsonValueKind.Object
            ? new BroadcastOptions { Rooms = Strings(opts, "rooms"), Except = Strings(opts, "except") }
            : new BroadcastOptions();

    private static HashSet<string> Strings(JsonElement element, string name)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (element.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values.EnumerateArray())
            {
                set.Add(value.GetString()!);
            }
        }
        return set;
    }
}
