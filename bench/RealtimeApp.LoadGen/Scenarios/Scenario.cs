using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// A benchmark scenario, run against every selected server with interleaved repetitions (A B C A B C …).
/// </summary>
internal abstract class Scenario
{
    /// <summary>The Socket.IO parser this scenario's servers and clients speak (the msgpack rows override it).</summary>
    public virtual WireParser Parser => WireParser.Json;

    public abstract string Name { get; }

    /// <summary>The rows it reports; the first is its headline.</summary>
    public abstract IReadOnlyList<MetricDefinition> Metrics { get; }

    public abstract Task<List<Sample>> RunAsync(RunContext context);

    /// <summary>Runs one measurement, turning a failure into a failed sample so the rest of the run goes on.</summary>
    internal async Task<Sample> GuardAsync(RunContext context, ServerKind kind, int rep, Func<Task<Sample>> measure)
    {
        try
        {
            var sample = await measure();
            context.Log($"{Name} {kind.Name()} rep {rep + 1}/{context.Reps}: {Summary(sample)}");
            return sample;
        }
        catch (Exception e)
        {
            context.Log($"{Name} {kind.Name()} rep {rep + 1}/{context.Reps} FAILED: {e.GetType().Name}: {e.Message}");
            return Sample.FailedWith(kind, rep, e);
        }
    }

    private string Summary(Sample sample)
    {
        var headline = Metrics[0];
        var value = sample.Metrics.GetValueOrDefault(headline.Key, double.NaN);
        var cpu = sample.Cpu is { } window
            ? $" (server {window.ServerPercent:0}% CPU, generator {window.GeneratorPercent:0}%{(window.GeneratorBound ? " BOUND" : "")})"
            : "";
        var notes = sample.Notes.Count > 0 ? $" [{string.Join("; ", sample.Notes)}]" : "";
        return $"{value:#,0.##} {headline.Unit}{cpu}{notes}";
    }
}

/// <summary>
/// Throughput scenarios: one server process per server for all repetitions (each repetition connects fresh
/// clients and warms up again).
/// </summary>
internal abstract class ReusedServerScenario : Scenario
{
    public override async Task<List<Sample>> RunAsync(RunContext context)
    {
        var samples = new List<Sample>();
        var servers = new Dictionary<ServerKind, ServerProcess>();
        try
        {
            foreach (var kind in context.Servers)
            {
                try
                {
                    servers[kind] = await context.StartServerAsync(kind, Parser);
                }
                catch (Exception e)
                {
                    context.Log($"{Name}: {kind.Name()} server did not start: {e.Message}");
                }
            }
            for (var rep = 0; rep < context.Reps; rep++)
            {
                foreach (var kind in context.Servers)
                {
                    if (!servers.TryGetValue(kind, out var server))
                    {
                        samples.Add(Sample.FailedWith(kind, rep, new InvalidOperationException("server did not start")));
                        continue;
                    }
                    var r = rep;
                    samples.Add(await GuardAsync(context, kind, rep, () => MeasureAsync(context, server, r)));
                    if (server.HasExited)
                    {
                        context.Log($"{Name}: {kind.Name()} server exited: {server.StderrTail()}");
                        server.Dispose();
                        servers[kind] = await context.StartServerAsync(kind, Parser);
                    }
                }
            }
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                server.Dispose();
            }
        }
        return samples;
    }

    protected abstract Task<Sample> MeasureAsync(RunContext context, ServerProcess server, int rep);
}

/// <summary>Scenarios that need a fresh server process for every measurement (connect storms, polling sessions).</summary>
internal abstract class FreshServerScenario : Scenario
{
    public override async Task<List<Sample>> RunAsync(RunContext context)
    {
        var samples = new List<Sample>();
        for (var rep = 0; rep < context.Reps; rep++)
        {
            foreach (var kind in context.Servers)
            {
                var r = rep;
                samples.Add(await GuardAsync(context, kind, rep, async () =>
                {
                    using var server = await context.StartServerAsync(kind);
                    return await MeasureAsync(context, server, r);
                }));
            }
        }
        return samples;
    }

    protected abstract Task<Sample> MeasureAsync(RunContext context, ServerProcess server, int rep);
}
