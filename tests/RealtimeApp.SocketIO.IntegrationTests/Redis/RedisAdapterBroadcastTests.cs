using RealtimeApp.SocketIO.IntegrationTests.SocketIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// The in-memory adapter's specification — rooms, to/except/broadcast, server-side operations, broadcast
/// acks with their timeout, with official clients over every transport — run again on a node whose
/// namespaces use the Redis adapter (one node on a real redis-server): the local behaviour is the same.
/// </summary>
public sealed class RedisAdapterBroadcastTests : NodeSocketIOBroadcastTests
{
    internal override async Task<SocketIOTestServer> StartServerAsync()
    {
        var redis = await RedisServerProcess.StartAsync();
        var server = await RedisClusterTests.StartNodeAsync(redis);
        server.Owned = redis;
        await RedisClusterTests.WaitForSubscriptionsAsync(1, server);
        return server;
    }
}
