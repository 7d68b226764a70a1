using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// The two library packages as `dotnet pack` makes them from this repository, in a folder used as a NuGet feed.
/// Built into its own artifacts folder, so the repository's bin/obj (which other test projects run from) are
/// never touched, and with every warning an error: a package must pack clean (NU5xxx included).
/// </summary>
internal sealed partial class LocalPackageFeed
{
    public static readonly string[] PackageIds = ["RealtimeApp.SocketIO", "RealtimeApp.SocketIO.Redis"];

    private LocalPackageFeed(string folder, string version) => (Folder, Version) = (folder, version);

    public string Folder { get; }

    /// <summary>The version both packages got from the root Directory.Build.props.</summary>
    public string Version { get; }

    public static async Task<LocalPackageFeed> PackAsync(string workFolder, ITestOutputHelper output)
    {
        var feed = Directory.CreateDirectory(Path.Combine(workFolder, "feed")).FullName;
        var artifacts = Path.Combine(workFolder, "artifacts");
        foreach (var id in PackageIds)
        {
            var project = Path.Combine(Paths.RepositoryRoot, "src", id, $"{id}.csproj");
            await DotnetAsync(["pack", project, "-c", "Release", "-o", feed, "--artifacts-path", artifacts, "-warnaserror"],
                Paths.RepositoryRoot, new Dictionary<string, string>(), output);
        }
        var core = Directory.GetFiles(feed, "RealtimeApp.SocketIO.*.nupkg").Select(Path.GetFileName)
            .Select(name => PackageFileName().Match(name!)).Single(m => m.Success);
        return new LocalPackageFeed(feed, core.Groups["version"].Value);
    }

    public string PackagePath(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    public static IReadOnlyList<string> Entries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    /// <summary>The nuspec's &lt;metadata&gt; element, namespace dropped for easy reading.</summary>
    public static XElement Metadata(string package, string id)
    {
        using var zip = ZipFile.OpenRead(package);
        using var nuspec = zip.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        foreach (var element in metadata.DescendantsAndSelf())
        {
            element.Name = element.Name.LocalName;
        }
        return metadata;
    }

    /// <summary>Runs the dotnet CLI, failing with its whole output unless it exits 0. Minutes, not seconds:
    /// restores and builds on a loaded 2-core machine are slow.</summary>
    public static async Task DotnetAsync(string[] arguments, string workingDirectory,
        Dictionary<string, string> environment, ITestOutputHelper output)
    {
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        var started = DateTime.UtcNow;
        var (exitCode, text) = await DockerfileReplay.RunAsync(["dotnet", .. arguments], workingDirectory, environment,
            TimeSpan.FromMinutes(10));
        output.WriteLine($"dotnet {string.Join(' ', arguments)}: exit {exitCode} in {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{text}");
    }

    [GeneratedRegex(@"^RealtimeApp\.SocketIO\.(?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex PackageFileName();
}
