using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Report;
using RealtimeApp.LoadGen.Scenarios;
using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen;

/// <summary>
/// <c>run</c>: checks the box, runs every selected scenario against every selected server, prints the table and
/// writes the JSON.
/// </summary>
internal static class Orchestrator
{
    /// <summary>Above this 1-minute load other work shares our cores: we still run, but say so.</summary>
    private const double LoadWarningThreshold = 1.0;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(RunOptions options)
    {
        var startedUtc = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var paths = RepoPaths.Find();
        CheckServersBuilt(paths, options.Servers);

        var warnings = new List<string>();
        var load = ProcFs.LoadAverage();
        if (load[0] > LoadWarningThreshold)
        {
            warnings.Add($"1-minute load average {load[0].ToString(CultureInfo.InvariantCulture)} > {LoadWarningThreshold:0.0} before the run: other work on the box may skew the results");
        }
        if (Environment.ProcessorCount > 1)
        {
            warnings.Add($"the generator may use {Environment.ProcessorCount} cores; run it under 'taskset -c 1' (bench/run.sh does) so it does not compete with the server on core 0");
        }
        foreach (var warning in warnings)
        {
            Console.WriteLine($"WARNING: {warning}");
        }
        var machine = MachineProbe.Describe(load);

        var scenarios = ScenarioPlan.For(options).Where(scenario => options.Selects(scenario.Name)).ToList();
        if (scenarios.Count == 0)
        {
            await Console.Error.WriteLineAsync($"no scenario starts with {string.Join(" or ", options.Only)}");
            return 2;
        }
        var context = new RunContext(paths, options.Mode, options.Reps, options.Servers);
        context.Log($"{options.Mode.Name} run, {options.Reps} rep(s), servers {string.Join(",", options.Servers.Select(kind => kind.Name()))}: " +
                    string.Join(", ", scenarios.Select(scenario => scenario.Name)));

        var rows = new List<RowResult>();
        var raw = new List<SampleResult>();
        for (var i = 0; i < scenarios.Count;)
        {
            // Consecutive idle sizes run together so that their holds can overlap.
            var idle = scenarios.Skip(i).TakeWhile(scenario => scenario is IdleScenario).Cast<IdleScenario>().ToList();
            var results = idle.Count > 0
                ? (await IdleScenario.RunBatchesAsync(context, idle)).ToDictionary(pair => (Scenario)pair.Key, pair => pair.Value)
                : new Dictionary<Scenario, List<Sample>> { [scenarios[i]] = await scenarios[i].RunAsync(context) };
            foreach (var scenario in scenarios.Skip(i).Take(results.Count))
            {
                rows.AddRange(ResultRows.Build(scenario, results[scenario], options.Servers));
                raw.AddRange(ResultRows.Raw(scenario, results[scenario]));
            }
            i += results.Count;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        Console.WriteLine();
        Console.Write(ResultTable.Render(rows));
        Console.WriteLine("* generator-bound (generator ≥ 90 % CPU): a lower bound. ratio = ours ÷ node (medians).");
        foreach (var warning in warnings)
        {
            Console.WriteLine($"WARNING: {warning}");
        }

        var result = new RunResult(options.Mode.Name, options.Reps, startedUtc, duration.TotalSeconds, machine, warnings,
            context.ReadyLines, rows, raw);
        var outFile = options.OutFile ?? Path.Combine(paths.ResultsDirectory,
            $"{startedUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{options.Mode.Name}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        await File.WriteAllTextAsync(outFile, JsonSerializer.Serialize(result, JsonOptions) + "\n");
        Console.WriteLine($"{options.Mode.Name} run took {duration.TotalSeconds:0} s; results: {outFile}");
        return 0;
    }

    private static void CheckServersBuilt(RepoPaths paths, ServerKind[] servers)
    {
        if (servers.Any(kind => kind != ServerKind.Node) && !File.Exists(paths.BenchHostDll))
        {
            throw new FileNotFoundException($"{paths.BenchHostDll} is missing: dotnet build -c Release bench/RealtimeApp.BenchHost");
        }
        if (servers.Contains(ServerKind.Node) && !Directory.Exists(Path.Combine(paths.NodePeerDirectory, "node_modules")))
        {
            throw new DirectoryNotFoundException($"{paths.NodePeerDirectory}/node_modules is missing: npm ci in bench/node-peer");
        }
    }
}
