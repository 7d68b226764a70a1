namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// Offsets of stored packets, in the format of Node's in-memory adapter (the <c>yeast</c> ids): the
/// milliseconds since the epoch in a 64-character alphabet, plus <c>.n</c> when several are made in the
/// same millisecond. Clients treat them as opaque; they only have to be unique within one server.
/// </summary>
internal static class RecoveryOffset
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    private static readonly Lock Gate = new();
    private static string _previous = "";
    private static long _seed;

    public static string Next(TimeProvider time)
    {
        var now = Encode(time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (Gate)
        {
            if (now != _previous)
            {
                _seed = 0;
                return _previous = now;
            }
            return now + "." + Encode(_seed++);
        }
    }

    private static string Encode(long value)
    {
        Span<char> digits = stackalloc char[12];
        var at = digits.Length;
        do
        {
            digits[--at] = Alphabet[(int)(value % 64)];
            value /= 64;
        }
        while (value > 0);
        return new string(digits[at..]);
    }
}
