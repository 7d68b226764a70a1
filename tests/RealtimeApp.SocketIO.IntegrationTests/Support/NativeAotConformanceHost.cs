using System.Diagnostics;
using System.Reflection;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// The conformance host published once per test run with <c>PublishAot=true</c> (a class fixture): the tests that
/// run against the JIT host run against this native executable too, so a trimming or AOT break in the library
/// (reflection that was trimmed away, code that cannot be made ahead of time) fails a test, not a user's deploy.
/// </summary>
public sealed class NativeAotConformanceHost : IAsyncLifetime
{
    // NativeAOT compiles the whole app and framework: minutes on a 2-core box shared with other work.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private readonly string _output = Path.Combine(Path.GetTempPath(), "realtimeapp-conformance-aot-" + Environment.ProcessId);

    /// <summary>The published executable.</summary>
    public string Executable => Path.Combine(_output, "RealtimeApp.ConformanceHost");

    /// <summary>How long <c>dotnet publish</c> took.</summary>
    public TimeSpan PublishTime { get; private set; }

    public async Task InitializeAsync()
    {
        var project = typeof(NativeAotConformanceHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ConformanceHostProject").Value!;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", _output, "--nologo" })
        {
            info.ArgumentList.Add(argument);
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"NativeAOT publish of the conformance host took over {PublishTimeout}");
        }
        PublishTime = watch.Elapsed;
        if (process.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"NativeAOT publish failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_output, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}
