using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests;

/// <summary>
/// No Docker engine runs here, so this checks what the image would do with the pieces that can run:
/// the Dockerfile's own publish command, the published folder started as the image starts it
/// (ASPNETCORE_HTTP_PORTS, content root = the publish folder), and the HEALTHCHECK probe against it.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public async Task The_Dockerfile_publish_output_starts_on_HTTP_PORTS_and_passes_its_own_healthcheck()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Paths.RepositoryRoot, "Dockerfile"));
        var publishArgs = PublishCommand().Match(dockerfile);
        Assert.True(publishArgs.Success, "Dockerfile has a `RUN dotnet publish ... -o /app/publish` line");

        var output = Directory.CreateTempSubdirectory("realtimeapp-publish-").FullName;
        try
        {
            // The same command the image runs (restore already happened, as in the image's earlier layer).
            var publish = await RunAsync("dotnet",
                $"publish {publishArgs.Groups["args"].Value} -o {output}", Paths.RepositoryRoot);
            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));
            Assert.True(File.Exists(Path.Combine(output, "wwwroot", "index.html")));

            var port = Ports.FreeOnBothLoopbacks();
            await using var app = AppProcess.Start(output, "RealtimeApp.dll", [],
                new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() });
            var ready = (await app.WaitForPhaseAsync("ready"))[0];
            Assert.Equal($"http://[::]:{port}", ready.GetProperty("Addresses")[0].GetString());

            // The page's client is the library's embedded npm bundle (the client stage of the Dockerfile).
            using (var http = new HttpClient())
            {
                var bundle = await http.GetAsync($"http://127.0.0.1:{port}/socket.io/socket.io.min.js");
                Assert.Equal(System.Net.HttpStatusCode.OK, bundle.StatusCode);
            }

            var probe = HealthcheckCommand(dockerfile).Replace("8080", port.ToString());
            var health = await RunAsync("bash", ["-c", probe], output);
            Assert.True(health.ExitCode == 0, $"HEALTHCHECK probe failed: {health.Output}");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string HealthcheckCommand(string dockerfile)
    {
        var line = string.Join(' ', Regex.Split(dockerfile, @"\\\r?\n")).Split('\n')
            .Single(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        var exec = JsonSerializer.Deserialize<string[]>(line[line.IndexOf('[')..])!;
        Assert.Equal(["bash", "-c"], exec[..2]);
        return exec[2];
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string directory) =>
        RunAsync(file, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), directory);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^RUN dotnet publish (?<args>.+?) -o /app/publish\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishCommand();
}
