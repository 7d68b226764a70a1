using System.Text.Json;
using RealtimeApp.SocketIO.Adapters;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// Sockets as a node describes them to a <c>fetchSockets</c> requester, in every Redis adapter's protocol:
/// <c>{id, handshake, rooms, data}</c>, the handshake as Node's <c>socket.handshake</c>.
/// </summary>
internal static class FetchedSockets
{
    /// <summary>Writes the array of the local sockets <paramref name="ids"/> (those still connected).</summary>
    public static void Write(Utf8JsonWriter json, AdapterContext context, IEnumerable<string> ids)
    {
        json.WriteStartArray();
        foreach (var id in ids)
        {
            if (context.FindSocket(id) is not { } socket)
            {
                continue;
            }
            json.WriteStartObject();
            json.WriteString("id"u8, socket.Id);
            json.WritePropertyName("handshake"u8);
            socket.Handshake.WriteTo(json);
            json.WriteStartArray("rooms"u8);
            foreach (var room in socket.Rooms)
            {
                json.WriteStringValue(room);
            }
            json.WriteEndArray();
            json.WritePropertyName("data"u8);
            JsonSerializer.Serialize(json, socket.Data, context.JsonOptions);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Reads such an array (another node's answer) into <paramref name="into"/>; anything else adds nothing.</summary>
    public static void Read(JsonElement sockets, SocketNamespace ns, List<RemoteSocket> into)
    {
        if (sockets.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var socket in sockets.EnumerateArray())
        {
            var rooms = new HashSet<string>(socket.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()!), StringComparer.Ordinal);
            into.Add(new RemoteSocket(ns, socket.GetProperty("id").GetString()!, rooms,
                socket.TryGetProperty("data", out var data) ? data.Clone() : default,
                socket.TryGetProperty("handshake", out var handshake) ? handshake.Clone() : default, local: null));
        }
    }
}
