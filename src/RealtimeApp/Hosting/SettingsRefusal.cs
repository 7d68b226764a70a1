using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace RealtimeApp.Hosting;

/// <summary>
/// A start refused for bad settings: every options type is checked at once, right after the host is built
/// (before anything reads the options, and long before Kestrel binds), and the problems come out as one line
/// each, <c>Invalid setting: SocketIO:ConnectTimeout = "1000" (1000.00:00:00): must be between …</c>, with
/// exit code 2 and no stack trace.
/// </summary>
public static partial class SettingsRefusal
{
    /// <summary>The exit code of a refused start (as for an address already in use).</summary>
    public const int ExitCode = 2;

    /// <summary>
    /// Runs every <c>ValidateOnStart</c> check now. The host would run them in <c>StartAsync</c>, but
    /// <c>MapSocketIO</c>, <c>MapItems</c> and friends read their options before that, and the first to do so
    /// would throw for its own type alone; here the failures of all types come together (.NET's start-up
    /// validator throws one <see cref="OptionsValidationException"/>, or an <see cref="AggregateException"/>
    /// of one per options type).
    /// </summary>
    public static void ValidateAll(IServiceProvider services) =>
        services.GetService<IStartupValidator>()?.Validate();

    /// <summary>
    /// The one-line problems of <paramref name="exception"/> when it is a settings failure (options validation,
    /// or the configuration binder's conversion failure for an option bound elsewhere); empty otherwise.
    /// </summary>
    public static IReadOnlyList<string> Problems(Exception exception, IConfiguration? configuration) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.All(e => Problems(e, configuration).Count > 0) =>
            [.. all.InnerExceptions.SelectMany(e => Problems(e, configuration))],
        InvalidOperationException conversion when BinderFailure().Match(conversion.Message) is { Success: true } match =>
            [Describe(match.Groups["key"].Value, match.Groups["type"].Value, configuration)],
        _ => [],
    };

    // The binder's own message (ConfigurationBinder, Error_FailedBinding), for options not bound by the
    // checked binding: "Failed to convert configuration value at 'SocketIO:MaxSessions' to type 'System.Int32'."
    [GeneratedRegex(@"^Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderFailure();

    private static string Describe(string key, string type, IConfiguration? configuration)
    {
        var value = configuration?[key] is { } raw ? $"\"{raw}\"" : "(unreadable)";
        // System.Nullable`1[[System.Int32, ...]] → Int32
        var name = Regex.Match(type, @"(?:\[\[)?System\.(?<name>\w+)(?:, [^\]]*\]\])?$") is { Success: true } simple
            ? simple.Groups["name"].Value : type;
        var hint = name == nameof(TimeSpan) ? " (TimeSpan: 00:00:01 is one second; a bare number is days)" : "";
        return $"{key} = {value}: must be a {name}{hint}";
    }
}
