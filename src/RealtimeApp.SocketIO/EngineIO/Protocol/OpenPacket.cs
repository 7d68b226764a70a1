using System.Buffers;
using System.Text.Json;

namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>
/// The handshake packet: <c>0</c> + a JSON object with exactly the keys <c>sid</c>, <c>upgrades</c>,
/// <c>pingInterval</c>, <c>pingTimeout</c>, <c>maxPayload</c>, in that order (the official test suites
/// check "all keys", so nothing is added).
/// </summary>
internal static class OpenPacket
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

/// <summary>
/// One endpoint's open packet with everything but the sid fixed, so a handshake copies bytes instead of
/// running a JSON writer. Session ids are URL-safe base64, which JSON needs no escaping for.
/// </summary>
internal sealed class OpenPacketTemplate
{
    private const string Marker = "\u0001";
    private readonly byte[] _head; // {"sid":"
    private readonly byte[] _tail; // ","upgrades":[…],…}

    public OpenPacketTemplate(IReadOnlyList<string> upgrades, TimeSpan pingInterval, TimeSpan pingTimeout, long maxPayload)
    {
        var sample = OpenPacket.Create(Marker, upgrades, pingInterval, pingTimeout, maxPayload).Frame.Span[1..];
        var at = sample.IndexOf("\\u0001"u8);
        _head = sample[..at].ToArray();
        _tail = sample[(at + 6)..].ToArray();
    }

    public EnginePacket Create(string sid)
    {
        Span<byte> payload = stackalloc byte[_head.Length + sid.Length + _tail.Length];
        _head.CopyTo(payload);
        var written = System.Text.Encoding.ASCII.GetBytes(sid, payload[_head.Length..]);
        _tail.CopyTo(payload[(_head.Length + written)..]);
        return EnginePacket.Text(EnginePacketType.Open, payload);
    }
}
