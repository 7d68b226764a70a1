using System.Globalization;

namespace RealtimeApp.SocketIO.Redis.Streams;

/// <summary>Redis stream entry ids (<c>{milliseconds}-{sequence}</c>) and the stream a namespace uses.</summary>
internal static class StreamIds
{
    /// <summary>Whether <paramref name="id"/> is a complete entry id (Node's <c>/^[0-9]+-[0-9]+$/</c>).</summary>
    public static bool IsValid(string id) => TryParse(id, out _);

    /// <summary>Orders two entry ids as Redis does (ids that do not parse sort first).</summary>
    public static int Compare(string a, string b)
    {
        TryParse(a, out var x);
        TryParse(b, out var y);
        return x.CompareTo(y);
    }

    /// <summary>
    /// The stream of namespace <paramref name="nsp"/> (Node's <c>computeStreamName</c>): the stream name itself, or
    /// with several streams <c>{name}-{i}</c> where i is the Java-style string hash modulo the count — JavaScript's
    /// int32 arithmetic and sign included, so a C# and a Node node pick the same stream.
    /// </summary>
    public static string StreamOf(string nsp, string streamName, int streamCount)
    {
        if (streamCount == 1)
        {
            return streamName;
        }
        var hash = 0;
        foreach (var c in nsp)
        {
            hash = unchecked(hash * 31 + c);
        }
        return streamName + "-" + (hash % streamCount).ToString(CultureInfo.InvariantCulture);
    }

    private static bool TryParse(string id, out (ulong Milliseconds, ulong Sequence) value)
    {
        value = default;
        var dash = id.IndexOf('-');
        return dash > 0
            && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out value.Milliseconds)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out value.Sequence);
    }
}
