using System.Net;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Hosting;

/// <summary>The admin surface's switches (<c>Diagnostics</c> section); see <see cref="AppDiagnostics"/>.</summary>
public sealed class DiagnosticsOptions
{
    /// <summary>Maps the /debug endpoints at all. Default true.</summary>
    public bool Expose { get; set; } = true;

    /// <summary>CIDR networks that may call /debug; none (or only empty entries) means loopback only.</summary>
    public string[] AllowedNetworks { get; set; } = [];
}

/// <summary>Each allowed network must parse: before, a bad one threw a FormatException while the pipeline was built.</summary>
internal sealed class DiagnosticsOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<DiagnosticsOptions>(configuration)
{
    protected override void Check(DiagnosticsOptions options, SettingProblems problems)
    {
        for (var i = 0; i < options.AllowedNetworks.Length; i++)
        {
            // Empty entries are skipped, as for Cors:Origins (a way to blank out one of appsettings.json's).
            if (options.AllowedNetworks[i] is { Length: > 0 } network && !IPNetwork.TryParse(network, out _))
            {
                problems.Add($"{nameof(options.AllowedNetworks)}:{i}", network,
                    "must be a CIDR network such as 10.0.0.0/8 or ::1/128");
            }
        }
    }
}

/// <summary><c>StartupTrace:Expose</c>, read by the startup trace; bound here only so a value that is not a boolean is refused at start.</summary>
public sealed class StartupTraceSwitchOptions
{
    /// <summary>Serve the trace at <c>GET /debug/startup</c>. Default true.</summary>
    public bool Expose { get; set; } = true;
}

/// <summary>Nothing to check past the conversion (true or false), which the base reports.</summary>
internal sealed class StartupTraceSwitchOptionsValidator(IConfiguration? configuration = null)
    : SettingsValidator<StartupTraceSwitchOptions>(configuration)
{
    protected override void Check(StartupTraceSwitchOptions options, SettingProblems problems)
    {
    }
}
