using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>One measurement: one scenario, one server, one repetition.</summary>
internal sealed class Sample(ServerKind server, int rep)
{
    public ServerKind Server { get; } = server;

    public int Rep { get; } = rep;

    /// <summary>Values by metric key (see each scenario's <see cref="MetricDefinition"/>s), plus extras for the JSON.</summary>
    public Dictionary<string, double> Metrics { get; } = [];

    /// <summary>CPU over the measurement window (absent when the measurement failed before it).</summary>
    public CpuWindow? Cpu { get; set; }

    /// <summary>Server CPU-µs per operation of the scenario (ack, delivery, connection, handshake).</summary>
    public double? ServerCpuUsPerOp { get; set; }

    public long VmRssKb { get; set; }

    public long VmHwmKb { get; set; }

    /// <summary>Whatever went wrong: failed connects, lost connections, a crashed server, a missing endpoint.</summary>
    public List<string> Notes { get; } = [];

    public bool Failed { get; set; }

    public bool GeneratorBound => Cpu?.GeneratorBound ?? false;

    public void TakeCpu(CpuWindow window, double operations)
    {
        Cpu = window;
        ServerCpuUsPerOp = window.ServerUsPer(operations);
    }

    public void TakeMemory(ServerProcess server) => (VmRssKb, VmHwmKb) = server.Memory();

    /// <summary>
    /// For load scenarios, where the server should be saturated: if neither it nor the generator was, the result
    /// says more about the box (other work on the cores) or a stall than about the server.
    /// </summary>
    public void NoteIfUnsaturated()
    {
        if (Cpu is { ServerPercent: < 80, GeneratorBound: false } window)
        {
            Notes.Add($"neither side saturated (server {window.ServerPercent:0}% CPU, generator {window.GeneratorPercent:0}%): busy box or stall");
        }
    }

    /// <summary>
    /// A load measurement: <paramref name="operations"/> in the window as a rate under <paramref name="rateKey"/>,
    /// the latency percentiles, server CPU per operation and memory, and a note when nothing was saturated.
    /// </summary>
    public static Sample FromWindow(ServerKind kind, int rep, CpuWindow cpu, ServerProcess server, double operations,
        string rateKey, LatencyHistogram histogram)
    {
        var sample = FromWindow(kind, rep, cpu, operations, rateKey, histogram);
        sample.TakeMemory(server);
        return sample;
    }

    /// <summary>As above, memory left to the caller (the cluster rows add up their nodes').</summary>
    public static Sample FromWindow(ServerKind kind, int rep, CpuWindow cpu, double operations, string rateKey,
        LatencyHistogram histogram)
    {
        var sample = new Sample(kind, rep);
        sample.TakeCpu(cpu, operations);
        sample.NoteIfUnsaturated();
        sample.Metrics[rateKey] = operations / cpu.Seconds;
        sample.Metrics["p50Us"] = histogram.PercentileMicroseconds(0.50);
        sample.Metrics["p99Us"] = histogram.PercentileMicroseconds(0.99);
        sample.Metrics["p999Us"] = histogram.PercentileMicroseconds(0.999);
        sample.Metrics["serverCpuUsPerOp"] = sample.ServerCpuUsPerOp ?? double.NaN;
        return sample;
    }

    public static Sample FailedWith(ServerKind server, int rep, Exception error)
    {
        var sample = new Sample(server, rep) { Failed = true };
        sample.Notes.Add($"{error.GetType().Name}: {error.Message}");
        return sample;
    }
}
