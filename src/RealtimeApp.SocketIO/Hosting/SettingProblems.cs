using System.Diagnostics.CodeAnalysis;
using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// The problems found in one options instance, each as one line an operator can act on: the configuration
/// key, the value as it was written, and what is allowed, e.g.
/// <c>SocketIO:ConnectTimeout = "1000" (1000.00:00:00): must be between 00:00:00.001 and 49.17:02:47.294 (TimeSpan: 00:00:01 is one second; a bare number is days)</c>.
/// </summary>
/// <remarks>
/// The value shown is the raw configuration string when the bound value came from configuration (the string
/// at that key converts to it), so the operator sees what they typed; otherwise (set in code) the bound value.
/// </remarks>
public sealed class SettingProblems
{
    /// <summary>The hint every TimeSpan problem carries: the binder reads a bare number as days.</summary>
    public const string TimeSpanSyntax = "TimeSpan: 00:00:01 is one second; a bare number is days";

    /// <summary>
    /// The longest wait a timer of this process can honour: <see cref="System.Threading.Timer"/>,
    /// <c>CancellationTokenSource.CancelAfter</c> and <c>Task.WaitAsync</c> refuse a due time above
    /// 4294967294 ms (about 49.7 days) with an <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>The shortest wait worth arming: under 1 ms a timer fires at once, and the wire carries whole milliseconds.</summary>
    public static readonly TimeSpan MinTimer = TimeSpan.FromMilliseconds(1);

    private readonly IConfiguration? _configuration;
    private readonly string? _section;
    private readonly string _typeName;
    private readonly List<string> _lines = [];

    /// <param name="configuration">Where raw values are looked up; null when the options are not bound from configuration.</param>
    /// <param name="section">The section the options were bound from (e.g. <c>SocketIO</c>); null names keys by type and property.</param>
    /// <param name="typeName">The options type's name, used in keys when there is no section.</param>
    public SettingProblems(IConfiguration? configuration, string? section, string typeName)
    {
        _configuration = configuration;
        _section = section;
        _typeName = typeName;
    }

    /// <summary>One line per problem, in the order found.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>The full key of a property path relative to the options (<c>HandshakeRateLimit:Burst</c>).</summary>
    public string Key(string property) =>
        _section is { Length: > 0 } ? $"{_section}:{property}" : $"{_typeName}.{property.Replace(':', '.')}";

    /// <summary>Adds a line for <paramref name="property"/>: its value, then <paramref name="rule"/> (e.g. "must be at least 1").</summary>
    public void Add(string property, object? value, string rule) => AddKey(Key(property), value, rule);

    /// <summary>Adds a line for an absolute configuration key (for options gathered from several sections).</summary>
    public void AddKey(string key, object? value, string rule) => _lines.Add($"{key} = {Show(key, value)}: {rule}");

    /// <summary>Adds a line exactly as given (e.g. a conversion failure found while binding).</summary>
    public void AddLine(string line) => _lines.Add(line);

    /// <summary>Checks <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>, with the TimeSpan syntax hint.</summary>
    public void TimeSpanBetween(string property, TimeSpan value, TimeSpan min, TimeSpan max, string? why = null)
    {
        if (value < min || value > max)
        {
            Add(property, value, $"must be between {Format(min)} and {Format(max)}{Why(why)} ({TimeSpanSyntax})");
        }
    }

    /// <summary>A timer's due time: at least 1 ms and at most <see cref="MaxTimer"/>.</summary>
    public void Timer(string property, TimeSpan value, string? why = null) => TimeSpanBetween(property, value, MinTimer, MaxTimer, why);

    /// <summary>Checks <paramref name="value"/> ≥ <paramref name="min"/>.</summary>
    public void AtLeast(string property, long value, long min, string? why = null)
    {
        if (value < min)
        {
            Add(property, value, $"must be at least {min.ToString(CultureInfo.InvariantCulture)}{Why(why)}");
        }
    }

    /// <summary>A limit that is off when null: when set, at least 1 (0 would refuse everything).</summary>
    public void LimitWhenSet(string property, int? value)
    {
        if (value is < 1)
        {
            Add(property, value, "must be at least 1, or unset for no limit");
        }
    }

    /// <summary>Checks <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    public void Between(string property, long value, long min, long max, string? why = null)
    {
        if (value < min || value > max)
        {
            Add(property, value, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}{Why(why)}");
        }
    }

    /// <summary>Checks that a string is neither null nor empty.</summary>
    public void NotEmpty(string property, string? value, string? why = null)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(property, value, $"must not be empty{Why(why)}");
        }
    }

    /// <summary>
    /// A connection string as a line may show it: not at all when it holds a password (lines go to logs).
    /// </summary>
    public static string? Redacted(string? connectionString) =>
        connectionString?.Contains("password", StringComparison.OrdinalIgnoreCase) == true
            ? "(not shown: it holds a password)"
            : connectionString;

    /// <summary>A value as a line shows it: invariant culture, TimeSpans in the constant ("c") format, strings quoted.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        TimeSpan t => FormatTimeSpan(t),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // The constant format without trailing zeros in the fraction: 00:00:00.001, not 00:00:00.0010000 (both parse).
    private static string FormatTimeSpan(TimeSpan value)
    {
        var text = value.ToString("c", CultureInfo.InvariantCulture);
        return text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }

    // "1000" (1000.00:00:00) when the configuration holds the value; the bound value alone when it does not
    // (set in code, or overridden in code after binding).
    private string Show(string key, object? value)
    {
        var formatted = Format(value);
        if (_configuration?[key] is not { } raw || !ConvertsTo(raw, value))
        {
            return formatted;
        }
        var quoted = $"\"{raw}\"";
        return quoted == formatted || raw == formatted ? quoted : $"{quoted} ({formatted})";
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only with dynamic code (ReflectionChecks); a converter of a bound value's type exists, the binder used it.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "As above.")]
    private static bool ConvertsTo(string raw, object? value)
    {
        if (value is null || value is string)
        {
            return Equals(raw, value) || (value is null && raw.Length == 0);
        }
        if (!CheckedConfigurationBinding.ReflectionChecks)
        {
            return raw == value.ToString(); // no type converters without reflection: the raw text only when it reads the same
        }
        try
        {
            return Equals(TypeDescriptor.GetConverter(value.GetType()).ConvertFromInvariantString(raw), value);
        }
        catch (Exception) // converters throw FormatException, ArgumentException or NotSupportedException
        {
            return false;
        }
    }

    private static string Why(string? why) => why is null ? "" : $" ({why})";
}
