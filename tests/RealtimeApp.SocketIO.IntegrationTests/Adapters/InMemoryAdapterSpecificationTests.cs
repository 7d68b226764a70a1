using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.Adapters;

/// <summary>The default adapter against the specification, with connection state recovery configured (it stores).</summary>
public sealed class InMemoryAdapterSpecificationTests : AdapterSpecification
{
    internal override Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine) =>
        SocketIOTestServer.StartAsync(configure: configure, configureEngine: configureEngine);
}

/// <summary>The default adapter without recovery configured: it must then neither store nor restore.</summary>
public sealed class InMemoryAdapterWithoutRecoverySpecificationTests : AdapterSpecification
{
    protected override bool WithRecovery => false;

    internal override Task<SocketIOTestServer> StartNodeAsync(Action<SocketIOOptions> configure, Action<EngineIOOptions> configureEngine) =>
        SocketIOTestServer.StartAsync(configure: configure, configureEngine: configureEngine);
}
