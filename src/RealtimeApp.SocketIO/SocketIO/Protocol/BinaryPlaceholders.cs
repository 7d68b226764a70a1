using System.Text.Json;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// Binary attachments (socket.io-protocol v5 "Binary attachments"): each binary value is replaced by
/// <c>{"_placeholder":true,"num":N}</c> and its bytes travel as the N-th Engine.IO binary message after
/// the packet.
/// </summary>
internal static class BinaryPlaceholders
{
    /// <summary>
    /// True when every placeholder in <paramref name="data"/> names an attachment index below
    /// <paramref name="attachmentCount"/> (socket.io-parser rejects the packet otherwise).
    /// </summary>
    public static bool AreValid(JsonElement data, int attachmentCount)
    {
        switch (data.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in data.EnumerateArray())
                {
                    if (!AreValid(item, attachmentCount))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Object:
                if (TryGetIndex(data, out var num))
                {
                    return num >= 0 && num < attachmentCount;
                }
                foreach (var property in data.EnumerateObject())
                {
                    if (!AreValid(property.Value, attachmentCount))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }

    /// <summary>Whether <paramref name="value"/> is a placeholder, and its attachment index.</summary>
    public static bool TryGetIndex(JsonElement value, out int num)
    {
        num = -1;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("_placeholder", out var flag) || flag.ValueKind != JsonValueKind.True)
        {
            return false;
        }
        // A hostile "num" may be any JSON value: only an integer names an attachment.
        if (!value.TryGetProperty("num", out var index) || index.ValueKind != JsonValueKind.Number
            || !index.TryGetInt32(out num))
        {
            num = -1;
        }
        return true;
    }

    /// <summary>Whether any placeholder appears in <paramref name="data"/> (at any depth).</summary>
    internal static bool Contains(JsonElement data)
    {
        switch (data.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in data.EnumerateArray())
                {
                    if (Contains(item))
                    {
                        return true;
                    }
                }
                return false;
            case JsonValueKind.Object:
                if (TryGetIndex(data, out _))
                {
                    return true;
                }
                foreach (var property in data.EnumerateObject())
                {
                    if (Contains(property.Value))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }
}
