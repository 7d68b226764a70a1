using System.Net;

namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// Where and how a client connects: the Socket.IO endpoint (Engine.IO open packet, then the <c>40</c> namespace
/// join, in the JSON or the msgpack parser's packets) or the raw Kestrel WebSocket ceiling (connected right after the 101, no Engine.IO at all).
/// </summary>
internal sealed record ClientTarget(IPEndPoint Server, string WebSocketPath, bool EngineIo,
    WireParser Parser = WireParser.Json)
{
    public const string SocketIoPath = "/socket.io/?EIO=4&transport=websocket";
    public const string CeilingPath = "/ws";

    public string HostHeader => $"{Server.Address}:{Server.Port}";
}
