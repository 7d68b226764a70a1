using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// Runs a script of <c>tests/js</c> with Node and returns the JSON lines it printed. Shared as source by
/// the app's test project (which has the same <c>TestClientsDirectory</c> metadata).
/// </summary>
internal static class NodeClient
{
    public static string ScriptsDirectory { get; } =
        typeof(NodeClient).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestClientsDirectory").Value!;

    public static Task<NodeRun> RunAsync(string script, params string[] args) =>
        RunWithEnvironmentAsync(new Dictionary<string, string>(), script, args);

    /// <summary>As <see cref="RunAsync"/>, with environment variables, e.g. <c>SOCKETIO_PARSER=msgpack</c> (see socketio-common.mjs).</summary>
    public static async Task<NodeRun> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment,
        string script, params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = ScriptsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        info.ArgumentList.Add(Path.Combine(ScriptsDirectory, script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        return new NodeRun(process.ExitCode, events, await stderr);
    }
}

internal sealed record NodeRun(int ExitCode, JsonElement[] Events, string Errors)
{
    public IEnumerable<JsonElement> Named(string name) =>
        Events.Where(e => e.GetProperty("event").GetString() == name);

    /// <summary>Fails with the whole output unless the script exited 0.</summary>
    public void AssertSucceeded() => Assert.True(ExitCode == 0, ToString());

    public override string ToString() =>
        $"exit {ExitCode}\n{string.Join('\n', Events.Select(e => e.GetRawText()))}\n{Errors}";
}
