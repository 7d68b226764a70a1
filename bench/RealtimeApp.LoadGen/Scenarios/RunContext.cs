using RealtimeApp.LoadGen.Wire;
using System.Diagnostics;
using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>What every scenario needs: where the servers are, the mode's durations, which servers, and a progress log.</summary>
internal sealed class RunContext(RepoPaths paths, ModeSettings mode, int reps, ServerKind[] servers)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public RepoPaths Paths { get; } = paths;

    public ModeSettings Mode { get; } = mode;

    public int Reps { get; } = reps;

    public ServerKind[] Servers { get; } = servers;

    /// <summary>Each server's ready line, as first seen (versions for the JSON).</summary>
    public Dictionary<string, string> ReadyLines { get; } = [];

    public Task<ServerProcess> StartServerAsync(ServerKind kind, params string[] hostArguments) =>
        StartServerAsync(kind, WireParser.Json, hostArguments);

    public async Task<ServerProcess> StartServerAsync(ServerKind kind, WireParser parser, params string[] hostArguments)
    {
        var server = await ServerProcess.StartAsync(kind, Paths, parser, hostArguments);
        ReadyLines.TryAdd(kind.Name(), server.ReadyLine);
        return server;
    }

    public void Log(string message) =>
        Console.WriteLine($"[{Stopwatch.GetElapsedTime(_started).TotalSeconds,6:0.0}s] {message}");
}
