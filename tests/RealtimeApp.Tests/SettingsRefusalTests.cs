using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests;

/// <summary>
/// Bad settings, written as an operator would (environment variables, command-line switches), stop the app
/// before it binds: exit code 2, one "Invalid setting" line per problem naming key, value and what is allowed,
/// no stack trace, no bind phase. The process exits before Kestrel starts, so each case takes about a second.
/// </summary>
public sealed partial class SettingsRefusalTests
{
    private const string Hint = "(TimeSpan: 00:00:01 is one second; a bare number is days)";

    public static TheoryData<string, string> Cases => new()
    {
        // the settings ("--Key=value" is a switch, "KEY=value" an environment variable; "|" between), the line
        // The issue: 1000 read as 1000 days, which every Engine.IO session then failed on.
        { "SocketIO__ConnectTimeout=1000",
            $"SocketIO:ConnectTimeout = \"1000\" (1000.00:00:00): must be between 00:00:00.001 and 49.17:02:47.294 {Hint}" },
        { "SocketIO__MaxSessions=abc", "SocketIO:MaxSessions = \"abc\": must be a whole number (Int32), or empty for none" },
        { "SocketIO__PingInterval=soon", $"SocketIO:PingInterval = \"soon\": must be a TimeSpan such as 00:00:30 {Hint}" },
        // The app's own settings.
        { "--Items:MinIncrement=0.001", "Items:MinIncrement = \"0.001\": must be above 0 and at most 1000000000, with at most 2 decimals (e.g. 0.50)" },
        { "--Items:MinIncrement=cheap", "Items:MinIncrement = \"cheap\": must be a number such as 0.5 (Decimal)" },
        { "--Items:MaxPageSize=5000", "Items:MaxPageSize = \"5000\": must be between 1 and 1000" },
        { "--Items:DefaultPageSize=500", "Items:DefaultPageSize = \"500\": must be between 1 and 100 (at most MaxPageSize)" },
        { "--Items:Store=Mongo", "Items:Store = \"Mongo\": must be Sqlite or Postgres" },
        { "--ConnectionStrings:Items=Mode=Memory",
            "ConnectionStrings:Items = \"Mode=Memory\": must be a SQLite connection string naming a file, such as Data Source=data/items.db (no Data Source)" },
        { "--Items:Store=Postgres|--ConnectionStrings:Items=Database=items;Password=secret",
            "ConnectionStrings:Items = \"(not shown: it holds a password)\": must be an Npgsql connection string such as Host=db;Database=items;Username=app (no Host)" },
        { "--Diagnostics:Expose=maybe", "Diagnostics:Expose = \"maybe\": must be true or false" },
        { "--Diagnostics:AllowedNetworks:0=localnet", "Diagnostics:AllowedNetworks:0 = \"localnet\": must be a CIDR network such as 10.0.0.0/8 or ::1/128" },
        { "--Cors:Origins:0=localhost:5000",
            "Cors:Origins:0 = \"localhost:5000\": must be an origin such as https://example.com or http://localhost:5000 (http or https, host, optional port; no path, not even /)" },
        { "--Cors:Origins:1=http://127.0.0.1:5000/",
            "Cors:Origins:1 = \"http://127.0.0.1:5000/\": must be an origin such as https://example.com or http://localhost:5000 (http or https, host, optional port; no path, not even /)" },
        { "--StartupTrace:Expose=yes", "StartupTrace:Expose = \"yes\": must be true or false" },
        { "Logging__Format=xml", "Logging:Format = \"xml\": must be text or json" },
        // The accounts' Identity section (IdentityOptions).
        { "Identity__Lockout__MaxFailedAccessAttempts=abc", "Identity:Lockout:MaxFailedAccessAttempts = \"abc\": must be a whole number (Int32)" },
        { "--Identity:Lockout:MaxFailedAccessAttempts=0", "Identity:Lockout:MaxFailedAccessAttempts = \"0\": must be between 1 and 1000" },
        { "--Identity:Password:RequiredLength=0", "Identity:Password:RequiredLength = \"0\": must be between 1 and 128" },
        // The admin UI: a dashboard anyone could open is refused outside Development.
        { "--SocketIO:AdminUI:Enabled=true", "SocketIO:AdminUI:PasswordHash = null: must be set (with UserName), or AuthorizationPolicy: a dashboard without auth is allowed only in Development (environment is Production)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_setting_ends_the_start_with_exit_code_2_and_one_line_before_anything_binds(string settings, string expected)
    {
        await using var app = Start(settings.Split('|'));

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Equal([expected], RefusedSettings(app));
        AssertNoStackTraceAndNoBind(app);
    }

    [Fact]
    public async Task Several_bad_settings_give_one_line_each()
    {
        await using var app = Start(["SocketIO__ConnectTimeout=1000", "SocketIO__MaxSessions=abc",
            "--SocketIO:HandshakeRateLimit:Burst=0", "--Items:Store=Mongo", "--Cors:Origins:0=ftp://files.example"]);

        Assert.Equal(2, await app.WaitForExitAsync());
        var lines = RefusedSettings(app);
        Assert.Equal(5, lines.Count);
        Assert.Contains(lines, l => l.StartsWith("SocketIO:ConnectTimeout = \"1000\" (1000.00:00:00): must be between", StringComparison.Ordinal));
        Assert.Contains("SocketIO:MaxSessions = \"abc\": must be a whole number (Int32), or empty for none", lines);
        Assert.Contains("SocketIO:HandshakeRateLimit:Burst = \"0\": must be at least 1 (a bucket that holds no permit refuses everything)", lines);
        Assert.Contains("Items:Store = \"Mongo\": must be Sqlite or Postgres", lines);
        Assert.Contains(lines, l => l.StartsWith("Cors:Origins:0 = \"ftp://files.example\": must be an origin", StringComparison.Ordinal));
        AssertNoStackTraceAndNoBind(app);
    }

    private static AppProcess Start(IEnumerable<string> settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0" };
        var environment = new Dictionary<string, string>();
        foreach (var setting in settings)
        {
            if (setting.StartsWith("--", StringComparison.Ordinal))
            {
                args.Add(setting);
            }
            else
            {
                var (key, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
                environment[key] = value;
            }
        }
        return AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"), args, environment);
    }

    // The lines as the console shows them: the CLEF "Setting" property, or the text after "Invalid setting: "
    // when the console is text (Logging:Format itself refused falls back to text).
    private static List<string> RefusedSettings(AppProcess app) => [.. app.Lines.Select(Setting).OfType<string>()];

    private static string? Setting(string line)
    {
        if (!line.StartsWith('{'))
        {
            return TextLine().Match(line) is { Success: true } text ? text.Groups["setting"].Value : null;
        }
        using var json = JsonDocument.Parse(line);
        return json.RootElement.TryGetProperty("Setting", out var setting) ? setting.GetString() : null;
    }

    private static void AssertNoStackTraceAndNoBind(AppProcess app)
    {
        Assert.DoesNotContain(app.Lines, line => line.Contains("   at ") || line.Contains("\"@x\""));
        Assert.DoesNotContain(app.Phases, e => e.GetProperty("Phase").GetString() is "bind" or "listen" or "serve" or "ready");
    }

    [GeneratedRegex(@"Invalid setting: (?<setting>.*)$")]
    private static partial Regex TextLine();
}
