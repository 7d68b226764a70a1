using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO.Redis;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Tests.Hosting;

/// <summary>
/// Every rule of the library's options, through configuration as an operator writes it: a real host with
/// <c>AddSocketIO()</c> (and <c>AddRedisAdapter()</c>) refuses to start, and the failure names the key, the
/// value as written and what is allowed, one line per problem.
/// </summary>
public sealed class OptionsValidationTests
{
    private const string Hint = "(TimeSpan: 00:00:01 is one second; a bare number is days)";
    private const string TimerRange = "must be between 00:00:00.001 and 49.17:02:47.294 " + Hint;
    private const string HeartbeatRange = "must be between 00:00:00.001 and 24.20:31:23.647 (the client waits PingInterval + "
        + "PingTimeout with a JavaScript timer, which fires at once past 2^31-1 ms) " + Hint;

    private const string OriginRule = "must be an origin: http:// or https://, a host and an optional port, no path "
        + "(e.g. https://app.example.com); to accept any origin leave CheckWebSocketOrigin off";

    public static TheoryData<string, string> Rules => new()
    {
        // settings ("key=value|key=value"), the expected line
        { "SocketIO:ConnectTimeout=1000", $"SocketIO:ConnectTimeout = \"1000\" (1000.00:00:00): {TimerRange}" },
        { "SocketIO:ConnectTimeout=00:00:00", $"SocketIO:ConnectTimeout = \"00:00:00\": {TimerRange}" },
        { "SocketIO:DefaultAckTimeout=100", $"SocketIO:DefaultAckTimeout = \"100\" (100.00:00:00): must be between 00:00:00.001 and 49.17:02:47.294 (or -00:00:00.001 to wait forever) {Hint}" },
        { "SocketIO:PingInterval=30", $"SocketIO:PingInterval = \"30\" (30.00:00:00): {HeartbeatRange}" },
        { "SocketIO:PingTimeout=-00:00:01", $"SocketIO:PingTimeout = \"-00:00:01\": {HeartbeatRange}" },
        { "SocketIO:PingInterval=20.00:00:00|SocketIO:PingTimeout=5.00:00:00",
            "SocketIO:PingInterval + SocketIO:PingTimeout = 25.00:00:00: must be at most 24.20:31:23.647 (the client waits "
            + "PingInterval + PingTimeout with a JavaScript timer, which fires at once past 2^31-1 ms; TimeSpan: 00:00:01 is one second; a bare number is days)" },
        { "SocketIO:UpgradeTimeout=0", $"SocketIO:UpgradeTimeout = \"0\" (00:00:00): {TimerRange}" },
        { "SocketIO:CloseTimeout=50", $"SocketIO:CloseTimeout = \"50\" (50.00:00:00): {TimerRange}" },
        { "SocketIO:DrainTimeout=-00:00:01", $"SocketIO:DrainTimeout = \"-00:00:01\": must be between 00:00:00 and 49.17:02:47.294 {Hint}" },
        { "SocketIO:MaxHttpBufferSize=0", "SocketIO:MaxHttpBufferSize = \"0\": must be between 1 and 2147483591 (a message is read into one byte array)" },
        { "SocketIO:HttpCompressionThreshold=-1", "SocketIO:HttpCompressionThreshold = \"-1\": must be at least 0" },
        { "SocketIO:MaxBufferedPackets=0", "SocketIO:MaxBufferedPackets = \"0\": must be at least 1 (0 would close every session at its first packet)" },
        { "SocketIO:Parser=Protobuf", "SocketIO:Parser = \"Protobuf\": must be one of Json, MsgPack" },
        { "SocketIO:Parser=7", "SocketIO:Parser = \"7\": must be Json or MsgPack" },
        { "SocketIO:Transports=0", "SocketIO:Transports = \"0\": must be Polling, WebSocket or both (\"Polling, WebSocket\")" },
        { "SocketIO:MaxSessions=0", "SocketIO:MaxSessions = \"0\": must be at least 1, or unset for no limit" },
        { "SocketIO:HandshakeRateLimit:PermitsPerSecond=0", "SocketIO:HandshakeRateLimit:PermitsPerSecond = \"0\": must be a number between 2.33E-07 and 10000000" },
        { "SocketIO:HandshakeRateLimit:PermitsPerSecond=Infinity", "SocketIO:HandshakeRateLimit:PermitsPerSecond = \"Infinity\": must be a number between 2.33E-07 and 10000000" },
        { "SocketIO:HandshakeRateLimit:Burst=0", "SocketIO:HandshakeRateLimit:Burst = \"0\": must be at least 1 (a bucket that holds no permit refuses everything)" },
        { "SocketIO:Cookie:Name=", "SocketIO:Cookie:Name = \"\": must be a non-empty cookie name (letters, digits and !#$%&'*+-.^_`|~)" },
        { "SocketIO:Cookie:Name=my sid", "SocketIO:Cookie:Name = \"my sid\": must be a non-empty cookie name (letters, digits and !#$%&'*+-.^_`|~)" },
        { "SocketIO:Cookie:Path=", "SocketIO:Cookie:Path = \"\": must be a non-empty path starting with / (no ; or control characters)" },
        { "SocketIO:MaxAttachments=-1", "SocketIO:MaxAttachments = \"-1\": must be at least 0" },
        { "SocketIO:MaxNamespacesPerConnection=0", "SocketIO:MaxNamespacesPerConnection = \"0\": must be at least 1, or unset for no limit" },
        { "SocketIO:MaxRoomsPerSocket=-5", "SocketIO:MaxRoomsPerSocket = \"-5\": must be at least 1, or unset for no limit" },
        { "SocketIO:MaxPendingAcksPerSocket=0", "SocketIO:MaxPendingAcksPerSocket = \"0\": must be at least 1, or unset for no limit" },
        { "SocketIO:EventRateLimit:PermitsPerSecond=-1", "SocketIO:EventRateLimit:PermitsPerSecond = \"-1\": must be a finite number above 0" },
        { "SocketIO:EventRateLimit:Burst=0", "SocketIO:EventRateLimit:Burst = \"0\": must be at least 1 (a bucket that holds no permit refuses everything)" },
        { "SocketIO:ShutdownEvent=disconnect", "SocketIO:ShutdownEvent = \"disconnect\": must not be a reserved event name (connect, connect_error, disconnect, disconnecting, newListener, removeListener)" },
        { "SocketIO:AuthenticationExpiredEvent=connect_error", "SocketIO:AuthenticationExpiredEvent = \"connect_error\": must not be a reserved event name (connect, connect_error, disconnect, disconnecting, newListener, removeListener)" },
        { "SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration=0", $"SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration = \"0\" (00:00:00): {TimerRange}" },
        { "SocketIO:CheckWebSocketOrigin=true|SocketIO:AllowedOrigins:0=https://ok.example|SocketIO:AllowedOrigins:1=*",
            $"SocketIO:AllowedOrigins:1 = \"*\": {OriginRule}" },
        { "SocketIO:CheckWebSocketOrigin=true|SocketIO:AllowedOrigins:0=https://app.example.com/board",
            $"SocketIO:AllowedOrigins:0 = \"https://app.example.com/board\": {OriginRule}" },
        { "SocketIO:CheckWebSocketOrigin=true|SocketIO:AllowedOrigins:0=ws://app.example.com",
            $"SocketIO:AllowedOrigins:0 = \"ws://app.example.com\": {OriginRule}" },
        { "SocketIO:AllowedOrigins:0=https://app.example.com",
            "SocketIO:CheckWebSocketOrigin = False: must be true when SocketIO:AllowedOrigins is set (the list is used only by the origin check)" },
        // Values that do not convert: the binder's exception becomes a line like the others.
        { "SocketIO:MaxSessions=abc", "SocketIO:MaxSessions = \"abc\": must be a whole number (Int32), or empty for none" },
        { "SocketIO:PingInterval=soon", $"SocketIO:PingInterval = \"soon\": must be a TimeSpan such as 00:00:30 {Hint}" },
        { "SocketIO:AllowEIO3=yes", "SocketIO:AllowEIO3 = \"yes\": must be true or false" },
        { "SocketIO:Transports=Carrier", "SocketIO:Transports = \"Carrier\": must be one of Polling, WebSocket, All (several: comma-separated)" },
        { "SocketIO:EventRateLimit:PermitsPerSecond=fast", "SocketIO:EventRateLimit:PermitsPerSecond = \"fast\": must be a number such as 0.5 (Double)" },
        // The Redis adapter's options (SocketIO:Redis).
        { "SocketIO:Redis:Key=", "SocketIO:Redis:Key = \"\": must not be empty (every channel name starts with it)" },
        { "SocketIO:Redis:RequestsTimeout=60", $"SocketIO:Redis:RequestsTimeout = \"60\" (60.00:00:00): {TimerRange}" },
        { "SocketIO:Redis:Configuration=", "SocketIO:Redis:Configuration = \"\": must be a StackExchange.Redis configuration such as redis:6379 (it is empty)" },
        { "SocketIO:Redis:Mode=Kafka", "SocketIO:Redis:Mode = \"Kafka\": must be one of PubSub, Sharded, Streams" },
        { "SocketIO:Redis:SubscriptionMode=Lazy", "SocketIO:Redis:SubscriptionMode = \"Lazy\": must be one of Static, Dynamic, DynamicPrivate" },
        { "SocketIO:Redis:Mode=Streams|SocketIO:Redis:MaxLength=0", "SocketIO:Redis:MaxLength = \"0\": must be at least 1" },
        { "SocketIO:Redis:Mode=Streams|SocketIO:Redis:StreamName=", "SocketIO:Redis:StreamName = \"\": must not be empty (it is the stream's key)" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_bad_setting_stops_the_host_at_start_with_one_line_naming_key_value_and_range(string settings, string expected)
    {
        var failures = await StartFailuresAsync(Parse(settings));

        Assert.Equal(expected, Assert.Single(failures));
    }

    [Fact]
    public async Task A_redis_configuration_that_does_not_parse_is_named_with_the_parser_reason()
    {
        var failures = await StartFailuresAsync(new() { ["SocketIO:Redis:Configuration"] = "redis:6379,retries=often" });

        Assert.StartsWith("SocketIO:Redis:Configuration = \"redis:6379,retries=often\": must be a StackExchange.Redis configuration such as redis:6379 (",
            Assert.Single(failures));
    }

    [Fact]
    public async Task A_redis_password_is_never_written_in_the_line()
    {
        var failures = await StartFailuresAsync(new() { ["SocketIO:Redis:Configuration"] = "password=secret,nohost=1" });

        var line = Assert.Single(failures);
        Assert.StartsWith("SocketIO:Redis:Configuration = \"(not shown: it holds a password)\":", line);
        Assert.DoesNotContain("secret", line);
    }

    [Fact]
    public async Task Several_bad_settings_of_several_options_types_give_one_line_each_in_one_failure()
    {
        var failures = await StartFailuresAsync(new()
        {
            ["SocketIO:ConnectTimeout"] = "1000",
            ["SocketIO:MaxSessions"] = "abc",
            ["SocketIO:PingInterval"] = "soon",
            ["SocketIO:MaxBufferedPackets"] = "0",
            ["SocketIO:Redis:Key"] = "",
        });

        // Three options types failed: .NET's start-up validator throws one AggregateException of their three.
        var ex = await Assert.ThrowsAsync<AggregateException>(() => StartAsync(new()
        {
            ["SocketIO:ConnectTimeout"] = "1000",
            ["SocketIO:MaxSessions"] = "abc",
            ["SocketIO:Redis:Key"] = "",
        }));
        Assert.Equal(3, ex.InnerExceptions.Count);
        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("SocketIO:ConnectTimeout = \"1000\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SocketIO:MaxSessions = \"abc\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SocketIO:PingInterval = \"soon\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SocketIO:MaxBufferedPackets = \"0\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SocketIO:Redis:Key = \"\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_set_in_code_is_refused_and_shown_as_bound()
    {
        var failures = await StartFailuresAsync([], io => io.EventRateLimit = new RateLimitOptions { Burst = 0 });

        Assert.Equal("SocketIO:EventRateLimit:Burst = 0: must be at least 1 (a bucket that holds no permit refuses everything)",
            Assert.Single(failures));
    }

    [Fact]
    public async Task A_value_set_in_code_over_a_configured_one_is_shown_as_bound_not_as_the_configuration_string()
    {
        var failures = await StartFailuresAsync(new() { ["SocketIO:ConnectTimeout"] = "00:00:05" },
            io => io.ConnectTimeout = TimeSpan.Zero);

        Assert.Equal($"SocketIO:ConnectTimeout = 00:00:00: {TimerRange}", Assert.Single(failures));
    }

    [Fact]
    public void A_bad_value_set_in_MapEngineIO_code_is_refused_there()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddEngineIO();
        using var app = builder.Build(); // never started: nothing binds

        var ex = Assert.Throws<OptionsValidationException>(() => app.MapEngineIO("/engine.io", _ => { },
            o => o.HandshakeRateLimit = new RateLimitOptions { PermitsPerSecond = 0 }));

        Assert.StartsWith("EngineIOOptions.HandshakeRateLimit.PermitsPerSecond = 0: must be a number between", Assert.Single(ex.Failures));
    }

    [Fact]
    public async Task The_defaults_and_the_apps_appsettings_values_pass()
    {
        await StartAsync([]);

        var appSettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "appsettings.json")).Build();
        var values = appSettings.AsEnumerable().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        values["SocketIO:Redis:Configuration"] = "redis:6379"; // as the cluster deployment sets it
        await StartAsync(values, inspect: services =>
        {
            var engine = services.GetRequiredService<IOptions<EngineIOOptions>>().Value;
            Assert.Equal(10000, engine.MaxSessions);
            Assert.Equal(500, engine.HandshakeRateLimit!.Burst);
            Assert.Equal(60, services.GetRequiredService<IOptions<SocketIOOptions>>().Value.EventRateLimit!.Burst);
        });
    }

    private static async Task StartAsync(Dictionary<string, string?> settings, Action<SocketIOOptions>? configure = null,
        Action<IServiceProvider>? inspect = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var io = builder.Services.AddSocketIO(configure);
        // As the app does: the adapter only when a Redis section is configured.
        if (settings.Keys.Any(k => k.StartsWith("SocketIO:Redis:", StringComparison.Ordinal)))
        {
            io.AddRedisAdapter();
        }
        using var host = builder.Build();
        await host.StartAsync();
        inspect?.Invoke(host.Services);
        await host.StopAsync();
    }

    private static async Task<IReadOnlyList<string>> StartFailuresAsync(Dictionary<string, string?> settings,
        Action<SocketIOOptions>? configure = null)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(settings, configure));
        // ValidateOnStart throws the one OptionsValidationException, or an AggregateException of one per type.
        var each = ex is AggregateException all ? all.InnerExceptions : [ex];
        return [.. each.Select(e => Assert.IsType<OptionsValidationException>(e)).SelectMany(e => e.Failures)];
    }

    private static Dictionary<string, string?> Parse(string settings) =>
        settings.Split('|').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "RealtimeApp.sln")))
        {
            directory = directory.Parent;
        }
        return directory.FullName;
    }
}
