using System.Diagnostics;

namespace RealtimeApp.Startup;

/// <summary>
/// Records the startup phases at the moment their hooks fire, on the thread they fire on. Each phase is
/// written once to the log (one structured event) and once to an in-memory list that feeds
/// <c>GET /debug/startup</c>, so the page and the logs cannot disagree. Nothing is replayed or printed
/// in sequence: if a hook never fires, its phase is simply absent.
/// </summary>
public sealed class StartupTrace
{
    private const string EndpointTemplate =
        "Startup {Phase} [{Step}/{StepCount}] {Endpoint} +{ElapsedMs}ms {Detail} | .NET {Dotnet} | Python {Python}";

    private const string HostTemplate =
        "Startup {Phase} [{Step}/{StepCount}] +{ElapsedMs}ms {Detail} | .NET {Dotnet} | Python {Python}";

    private readonly long _origin;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<StartupTraceEvent> _events = [];
    private readonly Lock _gate = new();
    private long _previous;

    /// <param name="originTimestamp">
    /// <see cref="Stopwatch.GetTimestamp"/> taken as the first statement of Program.cs: every
    /// <c>ElapsedMs</c> is monotonic time since then.
    /// </param>
    public StartupTrace(long originTimestamp, ILogger<StartupTrace> logger, TimeProvider time)
    {
        _origin = originTimestamp;
        _previous = originTimestamp;
        _logger = logger;
        _time = time;
    }

    /// <summary>A copy of the phases recorded so far, in the order they happened.</summary>
    public IReadOnlyList<StartupTraceEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    /// <summary>True when per-connection accept events would be written (they are Debug).</summary>
    public bool IsAcceptLoggingEnabled => _logger.IsEnabled(LogLevel.Debug);

    /// <summary>Records <paramref name="phase"/> now.</summary>
    /// <param name="detail">Short human text for the console line (e.g. "backlog 512").</param>
    /// <param name="details">Structured properties added to the log event and the JSON entry.</param>
    public void Record(
        StartupPhase phase,
        string? endpoint = null,
        string? detail = null,
        IReadOnlyDictionary<string, object?>? details = null,
        LogLevel level = LogLevel.Information,
        Exception? exception = null)
    {
        var info = StartupPhases.Get(phase);
        details ??= EmptyDetails;
        if (phase == StartupPhase.Accept)
        {
            // Per-connection: log only (Debug), never kept, so the list stays bounded under load.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var now = Stopwatch.GetTimestamp();
                Write(LogLevel.Debug, info, endpoint, detail, Ms(now - _origin), details, exception);
            }
            return;
        }

        // The lock makes sequence number, timestamps and log order agree when hooks race (the accept
        // loop of one socket runs on the thread pool while the next socket is still being bound).
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var elapsed = Ms(now - _origin);
            var entry = new StartupTraceEvent(
                Sequence: _events.Count + 1,
                Phase: info.Name,
                EventId: info.EventId,
                Step: info.Step,
                StepCount: StartupPhases.StepCount,
                ElapsedMs: elapsed,
                SincePreviousMs: Ms(now - _previous),
                Timestamp: _time.GetUtcNow(),
                Endpoint: endpoint,
                Dotnet: info.Dotnet,
                Python: info.Python,
                Depth: info.Depth,
                ThreadId: Environment.CurrentManagedThreadId,
                Details: details);
            _previous = now;
            _events.Add(entry);
            Write(level, info, endpoint, detail, elapsed, details, exception, entry.Sequence);
        }
    }

    private void Write(
        LogLevel level,
        StartupPhaseInfo info,
        string? endpoint,
        string? detail,
        double elapsed,
        IReadOnlyDictionary<string, object?> details,
        Exception? exception,
        long sequence = 0)
    {
        if (!_logger.IsEnabled(level))
        {
            return;
        }

        // A key/value state with "{OriginalFormat}" is how Microsoft.Extensions.Logging carries a
        // message template plus extra properties; Serilog turns every pair into an event property.
        var state = new List<KeyValuePair<string, object?>>(12 + details.Count)
        {
            new("Phase", info.Name),
            new("Step", info.Step),
            new("StepCount", StartupPhases.StepCount),
            new("ElapsedMs", Math.Round(elapsed, 3)),
            new("Detail", detail ?? ""),
            new("Dotnet", info.Dotnet),
            new("Python", info.Python),
            new("Depth", info.Depth),
            new("ThreadId", Environment.CurrentManagedThreadId),
        };
        if (endpoint is not null)
        {
            state.Add(new("Endpoint", endpoint));
        }
        if (sequence > 0)
        {
            state.Add(new("Sequence", sequence));
        }
        state.AddRange(details);
        state.Add(new("{OriginalFormat}", endpoint is null ? HostTemplate : EndpointTemplate));
        _logger.Log(level, new EventId(info.EventId, info.Name), state, exception, static (s, _) => Render(s));
    }

    // Only used by providers that render text themselves; Serilog renders from the template.
    private static string Render(List<KeyValuePair<string, object?>> state) =>
        string.Join(' ', state.Where(p => p.Key != "{OriginalFormat}").Select(p => $"{p.Key}={p.Value}"));

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static readonly IReadOnlyDictionary<string, object?> EmptyDetails = new Dictionary<string, object?>();
}
