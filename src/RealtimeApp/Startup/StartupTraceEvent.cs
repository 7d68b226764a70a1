namespace RealtimeApp.Startup;

/// <summary>One recorded phase, as logged and as returned by <c>GET /debug/startup</c>.</summary>
public sealed record StartupTraceEvent(
    long Sequence,
    string Phase,
    int EventId,
    int Step,
    int StepCount,
    double ElapsedMs,
    double SincePreviousMs,
    DateTimeOffset Timestamp,
    string? Endpoint,
    string Dotnet,
    string Python,
    int Depth,
    int ThreadId,
    IReadOnlyDictionary<string, object?> Details);
