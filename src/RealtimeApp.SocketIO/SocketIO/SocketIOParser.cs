namespace RealtimeApp.SocketIO;

/// <summary>
/// The Socket.IO parser a server speaks (<see cref="SocketIOOptions.Parser"/>): every client must use the same
/// one, as with Node's <c>new Server({ parser })</c>.
/// </summary>
public enum SocketIOParser
{
    /// <summary>
    /// The default parser (<c>socket.io-parser</c>): text packets with JSON payloads; binary values travel as
    /// placeholders followed by one binary message per attachment.
    /// </summary>
    Json,

    /// <summary>
    /// <c>socket.io-msgpack-parser</c> 3.x: each packet is one binary message holding a msgpack map
    /// <c>{type, data, nsp, id}</c>, binary values inline as msgpack <c>bin</c>. Clients load
    /// <c>/socket.io/socket.io.msgpack.min.js</c> or pass <c>parser: require("socket.io-msgpack-parser")</c>.
    /// </summary>
    MsgPack,
}
