namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// The Socket.IO parser both sides of a measurement speak: the default JSON text packets, or
/// <c>socket.io-msgpack-parser</c> (one binary message per packet), as the servers' <c>SocketIO:Parser</c> /
/// <c>parser</c> option. The msgpack rows run the same load as their JSON rows, so ours ÷ Node compares the parsers.
/// </summary>
internal enum WireParser
{
    Json,
    MsgPack,
}

internal static class WireParserExtensions
{
    /// <summary>Appended to a scenario's name: the JSON rows keep their historical names.</summary>
    public static string NameSuffix(this WireParser parser) => parser == WireParser.MsgPack ? "-msgpack" : "";
}
