using System.Diagnostics;
using System.Net;
using RealtimeApp.Tests.Support;
using Xunit.Abstractions;

namespace RealtimeApp.Tests;

/// <summary>
/// No Docker engine runs here, so the Dockerfile is replayed stage by stage in a fresh temporary folder
/// (<see cref="DockerfileReplay"/>): each COPY brings only what it names, each RUN runs as written. A build
/// that leans on anything the repository has lying around (restore results, node_modules, a project file the
/// Dockerfile forgot) fails here as it would in `docker build`. In particular, a project the app starts to
/// reference later breaks the first test until the Dockerfile's restore layer copies its project file too:
/// the replay gives that by construction, no list of projects is kept here.
/// </summary>
public sealed class DockerfileTests(ITestOutputHelper output)
{
    private static readonly string DockerfilePath = Path.Combine(Paths.RepositoryRoot, "Dockerfile");

    [Fact]
    public async Task The_replayed_Dockerfile_builds_an_app_that_serves_the_npm_client_and_passes_its_own_healthcheck()
    {
        var started = Stopwatch.StartNew();
        using var replay = new DockerfileReplay(Paths.RepositoryRoot);
        var image = await replay.BuildAsync(await File.ReadAllTextAsync(DockerfilePath));
        output.WriteLine($"replayed in {started.Elapsed.TotalSeconds:F0} s\n{image.Transcript}");

        Assert.True(File.Exists(Path.Combine(image.WorkingDirectory, "appsettings.json")));
        Assert.True(File.Exists(Path.Combine(image.WorkingDirectory, "wwwroot", "index.html")));
        Assert.True(Directory.Exists(Path.Combine(image.WorkingDirectory, "data")), "the VOLUME's folder exists");
        Assert.Equal("8080", image.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal(["8080"], image.ExposedPorts);
        Assert.Equal("dotnet", image.Entrypoint[0]);

        // As the image starts it (ENTRYPOINT in the final WORKDIR, the Dockerfile's ENV), on a free port
        // instead of 8080 (other builds share this machine); JSON logs so the startup phases can be read.
        var port = Ports.FreeOnBothLoopbacks();
        var environment = new Dictionary<string, string>(image.Environment) { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() };
        await using var app = AppProcess.Start(image.WorkingDirectory, image.Entrypoint[1], image.Entrypoint.Skip(2), environment);
        var ready = await app.WaitForAsync(
            a => a.Phases.Where(e => e.GetProperty("Phase").GetString() == "ready").Take(1).ToArray() is [_] found ? found : null,
            "the 'ready' phase", TimeSpan.FromMinutes(2));
        Assert.Equal($"http://[::]:{port}", ready[0].GetProperty("Addresses")[0].GetString());

        // The bundle the page loads comes from the client stage's npm ci, through COPY --from=client.
        using (var http = new HttpClient())
        {
            var bundle = await http.GetAsync($"http://127.0.0.1:{port}/socket.io/socket.io.min.js");
            Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        }

        var healthcheck = image.Healthcheck ?? throw new Xunit.Sdk.XunitException("the Dockerfile has no HEALTHCHECK");
        Assert.Contains(healthcheck, argument => argument.Contains("8080"));
        var probe = await DockerfileReplay.RunAsync([.. healthcheck.Select(a => a.Replace("8080", port.ToString()))],
            image.WorkingDirectory, environment, TimeSpan.FromSeconds(30));
        Assert.True(probe.ExitCode == 0, $"HEALTHCHECK probe exited {probe.ExitCode}: {probe.Output}\n{app.Dump()}");
        output.WriteLine($"whole test {started.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    public async Task Without_the_Redis_project_file_in_the_restore_layer_the_replay_fails_naming_that_project()
    {
        // Proves the test above can fail: the same Dockerfile minus the line that copies the Redis adapter's
        // project file before `dotnet restore` (the bug of issue 15).
        var started = Stopwatch.StartNew();
        var lines = (await File.ReadAllTextAsync(DockerfilePath)).Split('\n');
        var redisProjectLine = Assert.Single(lines,
            l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains("RealtimeApp.SocketIO.Redis.csproj"));
        var broken = string.Join('\n', lines.Where(l => l != redisProjectLine));

        using var replay = new DockerfileReplay(Paths.RepositoryRoot);
        var failure = await Assert.ThrowsAsync<DockerfileReplayException>(() => replay.BuildAsync(broken));
        output.WriteLine($"failed as expected in {started.Elapsed.TotalSeconds:F0} s:\n{failure.Message}");

        Assert.Contains("RUN dotnet publish", failure.Message);
        Assert.Matches(@"Skipping project "".*/RealtimeApp\.SocketIO\.Redis\.csproj"" because it was not found", failure.Message);
        Assert.Matches(@"NETSDK1004: Assets file '.*/RealtimeApp\.SocketIO\.Redis/obj/project\.assets\.json' not found", failure.Message);
    }

    [Theory]
    [InlineData("FROM alpine:3\nRUN true", "no stand-in for base image alpine:3")]
    [InlineData("# escape=`\nFROM node:20", "escape directive")]
    [InlineData("FROM node:20 AS client\nARG VERSION=1", "ARG VERSION=1")]
    [InlineData("FROM node:20 AS client\nRUN [\"npm\", \"ci\"]", "RUN [")]
    [InlineData("FROM node:20 AS client\nCOPY --chown=1000 package.json ./", "without wildcards or other flags")]
    [InlineData("FROM node:20 AS client\nCOPY src/*.json ./", "without wildcards or other flags")]
    [InlineData("FROM node:20 AS client\nWORKDIR /src\nRUN ls /usr/local/lib", "/usr is not a folder this Dockerfile creates")]
    [InlineData("FROM node:20 AS client\nWORKDIR $HOME", "cannot expand `$HOME`")]
    [InlineData("FROM node:20 AS client\nUSER nobody", "user nobody")]
    [InlineData("FROM node:20 AS client\nCOPY ../secret ./", "outside the build context")]
    public async Task The_replay_stops_on_what_it_does_not_understand_or_Docker_refuses_instead_of_skipping_it(string dockerfile, string reason)
    {
        // Each of these stops before any RUN executes (the replay goes in order), so nothing here touches this machine.
        using var replay = new DockerfileReplay(Paths.RepositoryRoot);
        var failure = await Assert.ThrowsAsync<DockerfileReplayException>(() => replay.BuildAsync(dockerfile));
        Assert.Contains(reason, failure.Message);
    }
}
