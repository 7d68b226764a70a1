using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Adapters;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// The Redis adapter against the specification: one node on a real redis-server (started per test), with
/// connection state recovery configured — which it declines, as Node's classic Redis adapter does.
/// </summary>
public sealed class RedisAdapterSpecificationTests : AdapterSpecification
{
    internal override async Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine)
    {
        var redis = await RedisServerProcess.StartAsync();
        var server = await SocketIOTestServer.StartAsync(configure: configure, configureEngine: configureEngine,
            socketIO: s => s.AddRedisAdapter(o => o.Configuration = redis.Configuration));
        server.Owned = redis;
        await ((RedisAdapter)server.Io.Of(Nsp).Adapter).Subscribed;
        await RedisClusterTests.WaitForSubscriptionsAsync(1, server);
        return server;
    }
}
