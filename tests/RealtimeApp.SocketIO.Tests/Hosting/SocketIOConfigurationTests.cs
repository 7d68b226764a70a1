using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Tests.Hosting;

/// <summary>The compatibility switches bind from the <c>SocketIO</c> section as an operator would write them.</summary>
public sealed class SocketIOConfigurationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSocketIO();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void By_default_EIO3_and_recovery_are_off_as_in_Node()
    {
        using var provider = Build([]);

        Assert.False(provider.GetRequiredService<IOptions<EngineIOOptions>>().Value.AllowEIO3);
        Assert.Null(provider.GetRequiredService<IOptions<SocketIOOptions>>().Value.ConnectionStateRecovery);
    }

    [Fact]
    public void AllowEIO3_and_a_recovery_section_turn_them_on()
    {
        using var provider = Build(new()
        {
            ["SocketIO:AllowEIO3"] = "true",
            ["SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration"] = "00:00:30",
        });

        Assert.True(provider.GetRequiredService<IOptions<EngineIOOptions>>().Value.AllowEIO3);
        var recovery = provider.GetRequiredService<IOptions<SocketIOOptions>>().Value.ConnectionStateRecovery;
        Assert.NotNull(recovery);
        Assert.Equal(TimeSpan.FromSeconds(30), recovery.MaxDisconnectionDuration);
        Assert.True(recovery.SkipMiddlewares);
    }

    [Fact]
    public void The_limits_are_off_by_default_and_bind_from_the_section()
    {
        using var defaults = Build([]);
        var engine = defaults.GetRequiredService<IOptions<EngineIOOptions>>().Value;
        var io = defaults.GetRequiredService<IOptions<SocketIOOptions>>().Value;
        Assert.Null(engine.MaxSessions);
        Assert.Null(engine.HandshakeRateLimit);
        Assert.Null(io.MaxNamespacesPerConnection);
        Assert.Null(io.MaxRoomsPerSocket);
        Assert.Null(io.MaxPendingAcksPerSocket);
        Assert.Null(io.EventRateLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), engine.DrainTimeout);
        Assert.Null(io.ShutdownEvent);

        using var provider = Build(new()
        {
            ["SocketIO:MaxSessions"] = "5000",
            ["SocketIO:HandshakeRateLimit:PermitsPerSecond"] = "2.5",
            ["SocketIO:HandshakeRateLimit:Burst"] = "30",
            ["SocketIO:MaxNamespacesPerConnection"] = "4",
            ["SocketIO:MaxRoomsPerSocket"] = "50",
            ["SocketIO:MaxPendingAcksPerSocket"] = "100",
            ["SocketIO:EventRateLimit:PermitsPerSecond"] = "20",
            ["SocketIO:MaxBufferedPackets"] = "2000",
            ["SocketIO:MaxAttachments"] = "4",
            ["SocketIO:DrainTimeout"] = "00:00:05",
        });
        engine = provider.GetRequiredService<IOptions<EngineIOOptions>>().Value;
        io = provider.GetRequiredService<IOptions<SocketIOOptions>>().Value;
        Assert.Equal(5000, engine.MaxSessions);
        Assert.Equal(2.5, engine.HandshakeRateLimit!.PermitsPerSecond);
        Assert.Equal(30, engine.HandshakeRateLimit.Burst);
        Assert.Equal(4, io.MaxNamespacesPerConnection);
        Assert.Equal(50, io.MaxRoomsPerSocket);
        Assert.Equal(100, io.MaxPendingAcksPerSocket);
        Assert.Equal(20, io.EventRateLimit!.PermitsPerSecond);
        Assert.Equal(20, io.EventRateLimit.Burst); // the class default, as the section left it out
        Assert.Equal(2000, engine.MaxBufferedPackets);
        Assert.Equal(4, io.MaxAttachments);
        Assert.Equal(TimeSpan.FromSeconds(5), engine.DrainTimeout);
    }

    [Fact]
    public void A_rate_limit_without_permits_is_refused_when_the_server_is_built()
    {
        using var provider = Build(new() { ["SocketIO:EventRateLimit:PermitsPerSecond"] = "0" });

        // Without a host start (no ValidateOnStart) the options' validator still refuses them when first read.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<SocketIOServer>());
        Assert.Equal("SocketIO:EventRateLimit:PermitsPerSecond = \"0\": must be a finite number above 0", Assert.Single(error.Failures));
    }
}
