using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Adapters;
using RealtimeApp.SocketIO.IntegrationTests.SocketIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO.Redis.Sharded;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// The sharded Redis adapter against the specification: one node on a real standalone redis-server 7 (sharded
/// pub/sub works there too), with connection state recovery configured — which it declines, as Node's does.
/// </summary>
public sealed class ShardedRedisAdapterSpecificationTests : AdapterSpecification
{
    internal override async Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine)
    {
        var redis = await RedisServerProcess.StartAsync();
        var server = await SocketIOTestServer.StartAsync(configure: configure, configureEngine: configureEngine,
            socketIO: s => s.AddRedisAdapter(o => (o.Configuration, o.Mode) = (redis.Configuration, RedisAdapterMode.Sharded)));
        server.Owned = redis;
        var adapter = (ShardedRedisAdapter)server.Io.Of(Nsp).Adapter;
        await adapter.Subscribed.WaitAsync(SocketIOTestServer.Timeout);
        await SocketIOTestServer.WaitUntilAsync(() => adapter.ServerCountAsync().AsTask().GetAwaiter().GetResult() == 1, "the node to be subscribed");
        return server;
    }
}

/// <summary>The broadcast tests of the official Node clients (rooms, namespaces, transports) on one sharded node.</summary>
public sealed class ShardedRedisAdapterBroadcastTests : NodeSocketIOBroadcastTests
{
    internal override async Task<SocketIOTestServer> StartServerAsync()
    {
        var redis = await RedisServerProcess.StartAsync();
        var server = await ShardedRedisClusterTests.StartNodeAsync(redis.Configuration);
        server.Owned = redis;
        await ShardedRedisClusterTests.WaitForNodesAsync(1, server);
        return server;
    }
}
