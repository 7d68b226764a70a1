using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using static RealtimeApp.Tests.Support.DockerfileSyntax;

namespace RealtimeApp.Tests.Support;

/// <summary>What the final stage would run: its folder (the image's WORKDIR) and its configuration.</summary>
internal sealed record ReplayedImage(
    string WorkingDirectory,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyList<string>? Healthcheck,
    string Transcript);

/// <summary>
/// Builds a Dockerfile without a Docker engine: every stage gets its own root folder under a fresh temporary
/// folder, each COPY copies only what it names (from the build context, minus .dockerignore, or from an
/// earlier stage's root with --from), and each RUN runs as written with bash in the stage's WORKDIR. The
/// container folders the Dockerfile creates (the first segment of every WORKDIR and COPY destination, e.g.
/// /src and /app) are mapped into the stage's root, in RUN commands too. Base images are stood in for by this
/// machine (its node/npm and dotnet). Anything else — another instruction, flag or base image, an absolute
/// path the Dockerfile does not create — stops the replay with an error rather than being skipped.
/// </summary>
internal sealed partial class DockerfileReplay(string contextDirectory) : IDisposable
{
    // npm ci, restore and publish on a 2-core CI box shared with other builds: minutes, not seconds.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    // Container paths that mean the same thing on this machine: bash's /dev/tcp, /dev/null.
    private static readonly HashSet<string> SharedWithMachine = ["dev"];

    private readonly DockerIgnore _ignore = DockerIgnore.Load(contextDirectory);
    private readonly StringBuilder _transcript = new();
    private readonly Dictionary<string, Stage> _stages = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("realtimeapp-dockerfile-").FullName;

    private sealed class Stage(string root, Dictionary<string, string> environment)
    {
        public string Root => root;
        public string WorkDir { get; set; } = "/";
        public Dictionary<string, string> Environment => environment;
        public List<string> ExposedPorts { get; } = [];
        public IReadOnlyList<string>? Healthcheck { get; set; }
        public IReadOnlyList<string> Entrypoint { get; set; } = [];
    }

    /// <summary>Replays every instruction in order; throws <see cref="DockerfileReplayException"/> on the first failure.</summary>
    public async Task<ReplayedImage> BuildAsync(string dockerfile)
    {
        var instructions = Parse(dockerfile);
        var containerRoots = ContainerRoots(instructions);
        Stage? stage = null;
        foreach (var instruction in instructions)
        {
            _transcript.AppendLine($"#{instruction}");
            if (instruction.Keyword == "FROM")
            {
                stage = StartStage(instruction);
                continue;
            }
            if (stage is null)
            {
                throw Unsupported(instruction, "comes before the first FROM");
            }
            await ReplayAsync(stage, instruction, containerRoots);
        }
        if (stage is null)
        {
            throw new DockerfileReplayException("the Dockerfile has no FROM");
        }
        return new ReplayedImage(HostPath(stage, stage.WorkDir), stage.Entrypoint,
            new Dictionary<string, string>(stage.Environment), stage.ExposedPorts, stage.Healthcheck, _transcript.ToString());
    }

    private Stage StartStage(DockerInstruction from)
    {
        var match = FromArguments().Match(from.Arguments);
        if (!match.Success)
        {
            throw Unsupported(from, "expected `FROM image [AS name]`");
        }
        var image = match.Groups["image"].Value;
        var name = match.Groups["name"].Success ? match.Groups["name"].Value : _stages.Count.ToString();
        // What each base image provides that the Dockerfile relies on. node and dotnet themselves are this
        // machine's (on PATH); the .NET images define APP_UID, their non-root user, which here is whoever runs.
        Dictionary<string, string> environment = image switch
        {
            _ when image.StartsWith("node:", StringComparison.Ordinal) => [],
            _ when image.StartsWith("mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal)
                || image.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)
                => new() { ["APP_UID"] = GetEffectiveUserId().ToString() },
            _ => throw Unsupported(from, $"no stand-in for base image {image}"),
        };
        var stage = new Stage(Path.Combine(Root, $"{_stages.Count}-{name}"), environment);
        Directory.CreateDirectory(stage.Root);
        _stages.Add(name, stage);
        return stage;
    }

    private async Task ReplayAsync(Stage stage, DockerInstruction instruction, IReadOnlySet<string> containerRoots)
    {
        switch (instruction.Keyword)
        {
            case "WORKDIR":
                stage.WorkDir = Resolve(stage.WorkDir, Expand(stage, instruction, instruction.Arguments));
                Directory.CreateDirectory(HostPath(stage, stage.WorkDir));
                break;
            case "COPY":
                Copy(stage, instruction);
                break;
            case "RUN" when !instruction.Arguments.StartsWith('['):
                await RunStepAsync(stage, instruction, MapAbsolutePaths(stage, instruction, instruction.Arguments, containerRoots));
                break;
            case "ENV":
                foreach (var (key, value) in EnvAssignments(instruction))
                {
                    stage.Environment[key] = Expand(stage, instruction, value);
                }
                break;
            case "USER":
                // The replay cannot switch users; the only user it understands is the one running it ($APP_UID).
                var user = Expand(stage, instruction, instruction.Arguments);
                if (user != GetEffectiveUserId().ToString())
                {
                    throw Unsupported(instruction, $"user {user} is not this machine's uid {GetEffectiveUserId()}");
                }
                break;
            case "EXPOSE":
                stage.ExposedPorts.AddRange(Expand(stage, instruction, instruction.Arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries));
                break;
            case "VOLUME" when !instruction.Arguments.StartsWith('['):
                // The mount point exists in the image (Docker creates it); nothing is mounted in the replay.
                foreach (var volume in Expand(stage, instruction, instruction.Arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    Directory.CreateDirectory(HostPath(stage, Resolve(stage.WorkDir, volume)));
                }
                break;
            case "HEALTHCHECK":
                // Kept as written: the probe reaches the app over TCP, and its text holds HTTP paths (GET /health)
                // that are no files. It runs in the final WORKDIR.
                stage.Healthcheck = HealthcheckCommand(instruction);
                break;
            case "ENTRYPOINT":
                stage.Entrypoint = [.. ExecForm(instruction, instruction.Arguments)
                    .Select(argument => MapAbsolutePaths(stage, instruction, argument, containerRoots))];
                break;
            default:
                throw Unsupported(instruction, "not an instruction (or form) the replay knows");
        }
    }

    // COPY [--from=stage] source... destination: a folder source copies its contents, as Docker does.
    private void Copy(Stage stage, DockerInstruction instruction)
    {
        var words = Expand(stage, instruction, instruction.Arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        Stage? fromStage = null;
        if (words.Count > 0 && words[0].StartsWith("--from=", StringComparison.Ordinal))
        {
            var from = words[0]["--from=".Length..];
            fromStage = _stages.GetValueOrDefault(from) ?? throw Unsupported(instruction, $"no earlier stage named {from}");
            words.RemoveAt(0);
        }
        if (words.Count < 2 || words.Any(w => w.StartsWith("--", StringComparison.Ordinal) || w.StartsWith('[') || w.IndexOfAny(['*', '?']) >= 0))
        {
            throw Unsupported(instruction, "expected `COPY [--from=stage] source... destination` without wildcards or other flags");
        }
        var sources = words[..^1];
        var destination = Resolve(stage.WorkDir, words[^1]);
        var destinationIsFolder = words[^1].EndsWith('/') || words[^1] is "." || sources.Count > 1
            || Directory.Exists(HostPath(stage, destination));
        foreach (var source in sources)
        {
            var from = fromStage is null
                ? Path.Combine(contextDirectory, source.TrimStart('/'))
                : HostPath(fromStage, Resolve(fromStage.WorkDir, source));
            if (fromStage is null && Path.GetRelativePath(contextDirectory, from).StartsWith("..", StringComparison.Ordinal))
            {
                throw Failed(instruction, $"{source} is outside the build context");
            }
            if (fromStage is null && _ignore.Excludes(Path.GetRelativePath(contextDirectory, from)))
            {
                throw Failed(instruction, $"{source} is excluded by .dockerignore");
            }
            if (Directory.Exists(from))
            {
                CopyFolder(from, HostPath(stage, destination), fromStage is null);
            }
            else if (File.Exists(from))
            {
                var target = HostPath(stage, destinationIsFolder ? $"{destination}/{Path.GetFileName(from)}" : destination);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(from, target, overwrite: true);
            }
            else
            {
                throw Failed(instruction, $"{source} not found ({from})");
            }
        }
    }

    private void CopyFolder(string from, string to, bool fromContext)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (fromContext && _ignore.Excludes(Path.GetRelativePath(contextDirectory, entry.FullName)))
            {
                continue;
            }
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.Delete(target);
                File.CreateSymbolicLink(target, link); // kept as a link, as Docker keeps it
            }
            else if (entry is DirectoryInfo folder)
            {
                CopyFolder(folder.FullName, target, fromContext);
            }
            else
            {
                ((FileInfo)entry).CopyTo(target, overwrite: true);
            }
        }
    }

    private async Task RunStepAsync(Stage stage, DockerInstruction instruction, string command)
    {
        var environment = new Dictionary<string, string>(stage.Environment)
        {
            // A RUN's container ends with the step; here MSBuild's reusable worker nodes would outlive it.
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        var started = Stopwatch.StartNew();
        var (exitCode, output) = await RunAsync(["bash", "-c", command], HostPath(stage, stage.WorkDir), environment, RunTimeout);
        _transcript.AppendLine(output).AppendLine($"# exit {exitCode} after {started.Elapsed.TotalSeconds:F0} s");
        if (exitCode != 0)
        {
            throw Failed(instruction, $"exited {exitCode} (as run: bash -c '{command}')");
        }
    }

    /// <summary>Runs a command, output (stdout and stderr) collected; killed with its children past the timeout.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> command, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) { return (-1, $"{output}\n(killed after {timeout.TotalMinutes} minutes)"); }
        }
        process.WaitForExit(); // the last redirected lines
        lock (output) { return (process.ExitCode, output.ToString().TrimEnd()); }
    }

    // The first segment of every WORKDIR and COPY destination in the whole Dockerfile: the folders a container
    // of this image has that this machine must not be asked about (the build stage writes /app/publish before
    // the runtime stage's WORKDIR /app exists, so it is the Dockerfile's, not one stage's).
    private static HashSet<string> ContainerRoots(IReadOnlyList<DockerInstruction> instructions)
    {
        var roots = new HashSet<string>();
        var workDir = "/";
        foreach (var instruction in instructions)
        {
            var path = instruction.Keyword switch
            {
                "FROM" => workDir = "/",
                "WORKDIR" => workDir = Resolve(workDir, instruction.Arguments),
                "COPY" => Resolve(workDir, instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]),
                _ => "/",
            };
            if (path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var first, ..])
            {
                roots.Add(first);
            }
        }
        return roots;
    }

    // An absolute path in a command starts at the start, after whitespace, =, a quote or a redirection.
    private string MapAbsolutePaths(Stage stage, DockerInstruction instruction, string text, IReadOnlySet<string> containerRoots) =>
        AbsolutePath().Replace(text, match =>
        {
            var first = match.Groups["first"].Value;
            if (SharedWithMachine.Contains(first))
            {
                return match.Value;
            }
            if (!containerRoots.Contains(first))
            {
                throw Unsupported(instruction, $"/{first} is not a folder this Dockerfile creates, so the replay cannot map it");
            }
            return match.Groups["lead"].Value + stage.Root + match.Value[match.Groups["lead"].Length..];
        });

    private static string Resolve(string workDir, string path) =>
        Path.GetFullPath(path, workDir) is var full && full.Length > 1 ? full.TrimEnd('/') : full;

    private static string HostPath(Stage stage, string containerPath) => Path.Join(stage.Root, containerPath);

    // Docker expands $VAR and ${VAR} from the stage's environment in these instructions (bash does it in RUN).
    private static string Expand(Stage stage, DockerInstruction instruction, string text) =>
        Variable().Replace(text, match => match.Groups["name"].Success
            && stage.Environment.TryGetValue(match.Groups["name"].Value, out var value)
                ? value
                : throw Unsupported(instruction, $"cannot expand `{match.Value}`"));

    // The whole transcript: the failing step's output is its end, and an earlier step's warning (restore's
    // "Skipping project") is often the cause.
    private DockerfileReplayException Failed(DockerInstruction instruction, string why) =>
        new($"Dockerfile step failed, {instruction}: {why}.\n--- the replay so far, this step last ---\n{_transcript}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            Thread.Sleep(1000); // a just-killed process may still be closing files in it
            Directory.Delete(Root, recursive: true);
        }
    }

    [GeneratedRegex(@"\$(?:\{(?<name>\w+)\}|(?<name>\w+))?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<lead>^|[\s='""<>])/(?<first>[^/\s'""]+)")]
    private static partial Regex AbsolutePath();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
