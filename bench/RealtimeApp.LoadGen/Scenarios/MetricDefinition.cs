namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>A result row: which sample metric it shows, its unit, which way is better, and the issue's target if any.</summary>
internal sealed record MetricDefinition(string Key, string Label, string Unit, bool HigherIsBetter, Target? Target = null);

/// <summary>
/// A target from the issue: either on the ratio ours ÷ node (e.g. ≥ 3), or on our own value (e.g. all 19,000
/// clients held).
/// </summary>
internal sealed record Target(TargetKind Kind, string Op, double Value)
{
    public static Target RatioAtLeast(double value) => new(TargetKind.Ratio, ">=", value);

    public static Target RatioAtMost(double value) => new(TargetKind.Ratio, "<=", value);

    public static Target OursEquals(double value) => new(TargetKind.Ours, "==", value);

    public static Target OursAtMost(double value) => new(TargetKind.Ours, "<=", value);

    public string Text => Kind == TargetKind.Ratio
        ? $"{(Op == ">=" ? "≥" : "≤")}{Value:0.##}×"
        : $"ours{Op switch { ">=" => "≥", "<=" => "≤", _ => "=" }}{Value:#,0.##}";

    /// <summary>Null when the inputs are missing (a server not run, a failed measurement).</summary>
    public bool? IsMet(double? ratio, double? ours)
    {
        var value = Kind == TargetKind.Ratio ? ratio : ours;
        if (value is not { } v || double.IsNaN(v))
        {
            return null;
        }
        return Op switch
        {
            ">=" => v >= Value,
            "<=" => v <= Value,
            _ => Math.Abs(v - Value) < 0.5,
        };
    }
}

internal enum TargetKind
{
    Ratio,
    Ours,
}
