using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.AdminUI;

namespace RealtimeApp.SocketIO.Tests.AdminUI;

/// <summary><c>SocketIO:AdminUI</c> binds as an operator writes it, and a bad value is refused in one line naming key and value.</summary>
public sealed class AdminUIOptionsTests
{
    private const string Hash = "$2b$10$C9sIbFfjqoV0VdGR9XBbNu0hMyvKjWDqRm.q6zZvXqbWvYjg5WgVa";

    private static ServiceProvider Build(Dictionary<string, string?> settings, string environment = "Production")
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new Environment(environment));
        services.AddLogging();
        services.AddSocketIO().AddSocketIOAdminUI();
        return services.BuildServiceProvider();
    }

    private static string Problems(Dictionary<string, string?> settings, string environment = "Production")
    {
        using var provider = Build(settings, environment);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SocketIOAdminUIOptions>>().Value).Message;
    }

    [Fact]
    public void Off_by_default_with_Nodes_defaults()
    {
        using var provider = Build([]);
        var options = provider.GetRequiredService<IOptions<SocketIOAdminUIOptions>>().Value;

        Assert.False(options.Enabled);
        Assert.Equal("/admin", options.Namespace);
        Assert.Equal(SocketIOAdminUIMode.Development, options.Mode);
        Assert.False(options.ReadOnly);
    }

    [Fact]
    public void The_section_binds_basic_auth_and_the_mode()
    {
        using var provider = Build(new()
        {
            ["SocketIO:AdminUI:Enabled"] = "true",
            ["SocketIO:AdminUI:UserName"] = "admin",
            ["SocketIO:AdminUI:PasswordHash"] = Hash,
            ["SocketIO:AdminUI:Mode"] = "Production",
            ["SocketIO:AdminUI:ReadOnly"] = "true",
            ["SocketIO:AdminUI:ServerId"] = "node-1",
        });
        var options = provider.GetRequiredService<IOptions<SocketIOAdminUIOptions>>().Value;

        Assert.Equal(("admin", Hash, SocketIOAdminUIMode.Production, true, "node-1"),
            (options.UserName, options.PasswordHash, options.Mode, options.ReadOnly, options.ServerId));
    }

    [Fact]
    public void No_auth_outside_Development_is_refused()
    {
        var message = Problems(new() { ["SocketIO:AdminUI:Enabled"] = "true" });

        Assert.Contains("SocketIO:AdminUI:PasswordHash", message);
        Assert.Contains("allowed only in Development (environment is Production)", message);
    }

    [Fact]
    public void No_auth_in_Development_is_allowed()
    {
        using var provider = Build(new() { ["SocketIO:AdminUI:Enabled"] = "true" }, "Development");

        Assert.True(provider.GetRequiredService<IOptions<SocketIOAdminUIOptions>>().Value.Enabled);
    }

    [Fact]
    public void A_password_in_clear_instead_of_a_bcrypt_hash_is_refused_without_showing_it()
    {
        var message = Problems(new()
        {
            ["SocketIO:AdminUI:Enabled"] = "true",
            ["SocketIO:AdminUI:UserName"] = "admin",
            ["SocketIO:AdminUI:PasswordHash"] = "hunter2",
        });

        Assert.Contains("SocketIO:AdminUI:PasswordHash", message);
        Assert.Contains("must be a bcrypt hash", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public void A_bad_mode_and_namespace_are_refused_naming_key_and_value()
    {
        var message = Problems(new()
        {
            ["SocketIO:AdminUI:Enabled"] = "true",
            ["SocketIO:AdminUI:AuthorizationPolicy"] = "Admins",
            ["SocketIO:AdminUI:Mode"] = "Verbose",
        });
        var namespaceMessage = Problems(new()
        {
            ["SocketIO:AdminUI:Enabled"] = "true",
            ["SocketIO:AdminUI:AuthorizationPolicy"] = "Admins",
            ["SocketIO:AdminUI:Namespace"] = "admin",
        });

        Assert.Contains("SocketIO:AdminUI:Mode = \"Verbose\"", message);
        Assert.Contains("SocketIO:AdminUI:Namespace = \"admin\": must be a namespace name starting with /", namespaceMessage);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
