namespace RealtimeApp.LoadGen.Report;

// The JSON written to bench/results/<UTC timestamp>-<mode>.json. Missing or NaN numbers are written as null.

internal sealed record RunResult(
    string Mode,
    int Reps,
    DateTime StartedUtc,
    double DurationSeconds,
    MachineInfo Machine,
    List<string> Warnings,
    Dictionary<string, string> ServerReadyLines,
    List<RowResult> Rows,
    List<SampleResult> Samples);

internal sealed record MachineInfo(
    int Cores,
    string CpuModel,
    double[] LoadAverage,
    string Kernel,
    string Dotnet,
    string? DotnetSdk,
    string? Node,
    long ClockTicksPerSecond);

/// <summary>One table row: a metric of a scenario across the servers.</summary>
internal sealed record RowResult(
    string Name,
    string Metric,
    string Key,
    string Unit,
    string Better,
    Dictionary<string, ServerRow> Servers,
    double? Ratio,
    TargetResult? Target,
    bool? Met);

/// <summary>A metric on one server across the repetitions: median, spread, and the window's CPU and memory (medians).</summary>
internal sealed record ServerRow(
    double? Median,
    double? Min,
    double? Max,
    double?[] Reps,
    double? ServerCpuUsPerOp,
    double? ServerCpuPercent,
    double? GeneratorCpuPercent,
    bool GeneratorBound,
    long? VmRssKb,
    long? VmHwmKb,
    int FailedReps,
    List<string> Notes);

internal sealed record TargetResult(string Kind, string Op, double Value, string Text);

/// <summary>One raw measurement, with every metric it took (more than the table shows).</summary>
internal sealed record SampleResult(
    string Scenario,
    string Server,
    int Rep,
    bool Failed,
    Dictionary<string, double?> Metrics,
    double? WindowSeconds,
    double? ServerCpuPercent,
    double? ServerCpuUsPerOp,
    double? GeneratorCpuPercent,
    bool GeneratorBound,
    long VmRssKb,
    long VmHwmKb,
    List<string> Notes);
