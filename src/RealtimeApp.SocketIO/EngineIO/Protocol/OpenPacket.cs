using System.Buffers;
using System.Text.Json;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// The handshake packet: <c>0</c> + a JSON object with exactly the keys <c>sid</c>, <c>upgrades</c>,
/// <c>pingInterval</c>, <c>pingTimeout</c>, <c>maxPayload</c>, in that order (the official test suites
/// check "all keys", so nothing is added).
/// </summary>
public static class OpenPacket
{
    /// <summary>Builds the open packet for one session.</summary>
    public static EnginePacket Create(string sid, IReadOnlyList<string> upgrades, TimeSpan pingInterval,
        TimeSpan pingTimeout, long maxPayload)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sid"u8, sid);
            json.WriteStartArray("upgrades"u8);
            foreach (var upgrade in upgrades)
            {
                json.WriteStringValue(upgrade);
            }
            json.WriteEndArray();
            json.WriteNumber("pingInterval"u8, (long)pingInterval.TotalMilliseconds);
            json.WriteNumber("pingTimeout"u8, (long)pingTimeout.TotalMilliseconds);
            json.WriteNumber("maxPayload"u8, maxPayload);
            json.WriteEndObject();
        }
        return EnginePacket.Text(EnginePacketType.Open, buffer.WrittenSpan);
    }
}
