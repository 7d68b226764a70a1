namespace RealtimeApp.LoadGen.Report;

internal static class Stats
{
    /// <summary>Median of the finite values; null when there are none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>NaN and infinities become null: JSON has no such numbers.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public static double? Finite(double? value) => value is { } v ? Finite(v) : null;
}
