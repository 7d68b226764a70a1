using RealtimeApp.LoadGen.Scenarios;
using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Report;

/// <summary>Turns a scenario's samples into its result rows (one per metric) and raw sample records.</summary>
internal static class ResultRows
{
    public static IEnumerable<RowResult> Build(Scenario scenario, IReadOnlyList<Sample> samples, ServerKind[] servers)
    {
        foreach (var metric in scenario.Metrics)
        {
            var perServer = new Dictionary<string, ServerRow>();
            foreach (var kind in servers)
            {
                perServer[kind.Name()] = ServerRowOf(metric, samples.Where(sample => sample.Server == kind).ToList());
            }
            var ours = perServer.GetValueOrDefault(ServerKind.Ours.Name())?.Median;
            var node = perServer.GetValueOrDefault(ServerKind.Node.Name())?.Median;
            var ratio = ours is { } o && node is { } n && n != 0 ? Stats.Finite(o / n) : null;
            var target = metric.Target;
            yield return new RowResult(
                scenario.Name,
                metric.Label,
                metric.Key,
                metric.Unit,
                metric.HigherIsBetter ? "higher" : "lower",
                perServer,
                ratio,
                target is null ? null : new TargetResult(target.Kind == TargetKind.Ratio ? "ratio" : "ours", target.Op, target.Value, target.Text),
                target?.IsMet(ratio, ours));
        }
    }

    public static IEnumerable<SampleResult> Raw(Scenario scenario, IEnumerable<Sample> samples) =>
        samples.Select(sample => new SampleResult(
            scenario.Name,
            sample.Server.Name(),
            sample.Rep + 1,
            sample.Failed,
            sample.Metrics.ToDictionary(pair => pair.Key, pair => Stats.Finite(pair.Value)),
            Stats.Finite(sample.Cpu?.Seconds),
            Stats.Finite(sample.Cpu?.ServerPercent),
            Stats.Finite(sample.ServerCpuUsPerOp),
            Stats.Finite(sample.Cpu?.GeneratorPercent),
            sample.GeneratorBound,
            sample.VmRssKb,
            sample.VmHwmKb,
            sample.Notes));

    private static ServerRow ServerRowOf(MetricDefinition metric, List<Sample> samples)
    {
        var good = samples.Where(sample => !sample.Failed).ToList();
        var values = good.Select(sample => sample.Metrics.GetValueOrDefault(metric.Key, double.NaN)).ToList();
        var finite = values.Where(double.IsFinite).ToList();
        return new ServerRow(
            Stats.Median(values),
            finite.Count > 0 ? finite.Min() : null,
            finite.Count > 0 ? finite.Max() : null,
            samples.Select(sample => Stats.Finite(sample.Metrics.GetValueOrDefault(metric.Key, double.NaN))).ToArray(),
            Stats.Median(good.Select(sample => sample.ServerCpuUsPerOp ?? double.NaN)),
            Stats.Median(good.Select(sample => sample.Cpu?.ServerPercent ?? double.NaN)),
            Stats.Median(good.Select(sample => sample.Cpu?.GeneratorPercent ?? double.NaN)),
            good.Any(sample => sample.GeneratorBound),
            good.Count > 0 ? (long?)Stats.Median(good.Select(sample => (double)sample.VmRssKb)) : null,
            good.Count > 0 ? (long?)Stats.Median(good.Select(sample => (double)sample.VmHwmKb)) : null,
            samples.Count - good.Count,
            samples.SelectMany(sample => sample.Notes.Select(note => $"rep {sample.Rep + 1}: {note}")).Distinct().ToList());
    }
}
