using RealtimeApp.SocketIO.IntegrationTests.SocketIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Parsers;

/// <summary>
/// The rooms, broadcasts and server-side operations of <see cref="NodeSocketIOBroadcastTests"/> with every client and
/// the server on the msgpack parser: one broadcast is encoded once, in msgpack, for all its recipients.
/// </summary>
public sealed class MsgPackBroadcastTests : NodeSocketIOBroadcastTests
{
    internal override Task<SocketIOTestServer> StartServerAsync() =>
        SocketIOTestServer.StartAsync(configure: o => o.Parser = SocketIOParser.MsgPack);

    internal override IReadOnlyDictionary<string, string> ClientEnvironment { get; } =
        new Dictionary<string, string> { ["SOCKETIO_PARSER"] = "msgpack" };
}
