using System.Globalization;
using System.Text;
using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Report;

/// <summary>
/// The console table: scenario | metric | ours | node | ratio (ours ÷ node) | ceiling | target | met. A <c>*</c>
/// marks a generator-bound value (the generator was at ≥ 90 % CPU: the value is a lower bound); <c>±x%</c> is half
/// the min–max spread across repetitions.
/// </summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<RowResult> rows)
    {
        string[] header = ["scenario", "metric", "ours", "node", "ratio", "ceiling", "target", "met"];
        var lines = new List<string[]> { header };
        foreach (var row in rows)
        {
            lines.Add(
            [
                row.Name,
                row.Metric,
                Cell(row, ServerKind.Ours),
                Cell(row, ServerKind.Node),
                row.Ratio is { } ratio ? $"{ratio.ToString("0.00", CultureInfo.InvariantCulture)}×" : "",
                Cell(row, ServerKind.Ceiling),
                row.Target?.Text ?? "",
                row.Met switch { true => "yes", false => "NO", null => row.Target is null ? "" : "?" },
            ]);
        }
        var widths = Enumerable.Range(0, header.Length).Select(column => lines.Max(line => line[column].Length)).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            text.AppendLine(string.Join(" | ", lines[i].Select((cell, column) =>
                column is 0 or 1 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd());
            if (i == 0)
            {
                text.AppendLine(string.Join("-|-", widths.Select(width => new string('-', width))));
            }
        }
        return text.ToString();
    }

    public static string Format(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 1000 ? "#,0" : magnitude >= 100 ? "0" : magnitude >= 10 ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string Cell(RowResult row, ServerKind kind)
    {
        if (!row.Servers.TryGetValue(kind.Name(), out var server))
        {
            return "";
        }
        if (server.Median is not { } median)
        {
            return server.FailedReps > 0 ? "FAIL" : "n/a";
        }
        var cell = Format(median);
        if (server is { Min: { } min, Max: { } max } && max > min && median != 0)
        {
            cell += $" ±{(max - min) / 2 / Math.Abs(median) * 100:0}%";
        }
        if (server.FailedReps > 0)
        {
            cell += $" ({server.FailedReps} failed)";
        }
        return server.GeneratorBound ? cell + "*" : cell;
    }
}
