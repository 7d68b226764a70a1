using Microsoft.Extensions.DependencyInjection;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Adapters;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO.Redis.Streams;

namespace RealtimeApp.SocketIO.IntegrationTests.Redis;

/// <summary>
/// The Redis streams adapter against the specification, one node on a real redis-server: unlike the classic adapter
/// it stores (the stream keeps broadcasts), so the recovery part of the specification applies to it in full.
/// </summary>
public sealed class RedisStreamsAdapterSpecificationTests : AdapterSpecification
{
    protected override bool StampsEveryEvent => true;

    internal override Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine) =>
        StartStreamsNodeAsync(configure, configureEngine);

    /// <summary>One node with the streams adapter on its own redis-server, ready once the namespace under test is.</summary>
    internal static async Task<SocketIOTestServer> StartStreamsNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine)
    {
        var redis = await RedisServerProcess.StartAsync();
        var server = await SocketIOTestServer.StartAsync(configure: configure, configureEngine: configureEngine,
            socketIO: s => s.AddRedisAdapter(o => (o.Configuration, o.Mode) = (redis.Configuration, RedisAdapterMode.Streams)));
        server.Owned = redis;
        await RedisStreamsClusterTests.ReadyAsync(server, Nsp);
        return server;
    }
}

/// <summary>The streams adapter without recovery configured: it must then neither stamp offsets nor restore.</summary>
public sealed class RedisStreamsAdapterWithoutRecoverySpecificationTests : AdapterSpecification
{
    protected override bool WithRecovery => false;

    internal override Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine) =>
        RedisStreamsAdapterSpecificationTests.StartStreamsNodeAsync(configure, configureEngine);
}
