using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Hosting;

/// <summary>The browser origins allowed by <see cref="AppCors.Policy"/> (<c>Cors:Origins</c>).</summary>
public sealed class AppCorsOptions
{
    /// <summary>Each an origin as browsers send it: <c>https://example.com</c>, <c>http://localhost:5000</c>.</summary>
    public string[] Origins { get; set; } = [];
}

/// <summary>
/// Each origin must be one a browser can send: CORS compares the <c>Origin</c> header as a string, so
/// <c>http://localhost:5000/</c> (a path) or <c>localhost:5000</c> (no scheme) would silently never match.
/// </summary>
internal sealed class AppCorsOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<AppCorsOptions>(configuration)
{
    protected override void Check(AppCorsOptions options, SettingProblems problems)
    {
        for (var i = 0; i < options.Origins.Length; i++)
        {
            // An empty entry is how an operator blanks out one of appsettings.json's entries from the
            // environment or the command line (Cors__Origins__1=): it allows nothing, and stays accepted.
            if (options.Origins[i] is { Length: > 0 } origin && !IsOrigin(origin))
            {
                problems.Add($"{nameof(options.Origins)}:{i}", origin,
                    "must be an origin such as https://example.com or http://localhost:5000 (http or https, host, optional port; no path, not even /)");
            }
        }
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0
        && uri.Host.Length > 0
        && string.Equals(origin.TrimEnd('/'), origin, StringComparison.Ordinal)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
