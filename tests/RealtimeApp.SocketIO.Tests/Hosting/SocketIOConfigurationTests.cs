using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO.SocketIO;

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
}
