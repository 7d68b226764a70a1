using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Hosting;

/// <summary>
/// <c>Logging:Format</c>. The console is set up from the raw key (the bootstrap logger needs it before the
/// host exists); this binding only lets a start with an unknown format be refused instead of silently
/// writing text.
/// </summary>
public sealed class AppLoggingOptions
{
    /// <summary><c>text</c> (default) or <c>json</c>, any case.</summary>
    public string Format { get; set; } = "text";
}

/// <summary>The format must be one <see cref="AppLogging"/> knows.</summary>
internal sealed class AppLoggingOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<AppLoggingOptions>(configuration)
{
    protected override void Check(AppLoggingOptions options, SettingProblems problems)
    {
        if (!string.Equals(options.Format, "text", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(nameof(options.Format), options.Format, "must be text or json");
        }
    }
}
