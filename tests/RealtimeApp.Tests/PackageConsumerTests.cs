using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.Tests.Support;
using Xunit.Abstractions;

namespace RealtimeApp.Tests;

/// <summary>
/// The library as a user gets it: both packages packed from this repository into a local feed, then a fresh
/// web app outside the repository that references RealtimeApp.SocketIO by version (no project reference,
/// none of the repository's Directory.*.props), restored into an empty global-packages folder so no cached
/// copy of the same version can stand in, published, started, and asked for an ack by the official Node client.
/// </summary>
public sealed partial class PackageConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_fresh_app_referencing_the_package_by_version_answers_an_ack_from_the_node_client()
    {
        var started = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("realtimeapp-consumer-").FullName;
        try
        {
            var feed = await LocalPackageFeed.PackAsync(work, output);
            AssertPackagesAreComplete(feed);

            var appFolder = Directory.CreateDirectory(Path.Combine(work, "app")).FullName;
            var packages = Path.Combine(work, "packages");
            WriteConsumerApp(appFolder, feed);
            var publish = Path.Combine(work, "publish");
            await LocalPackageFeed.DotnetAsync(["publish", "-c", "Release", "-o", publish], appFolder,
                new() { ["NUGET_PACKAGES"] = packages }, output);
            Assert.True(Directory.Exists(Path.Combine(packages, "realtimeapp.socketio", feed.Version)),
                "restored from the local feed into the fresh global-packages folder");

            await using var app = AppProcess.Start(publish, Path.Combine(publish, "Consumer.dll"), ["--urls", "http://127.0.0.1:0"]);
            var address = await app.WaitForAsync(a => a.Lines.Select(l => ListeningLine().Match(l))
                .FirstOrDefault(m => m.Success)?.Groups["address"].Value, "'Now listening on'", TimeSpan.FromMinutes(1));

            using (var http = new HttpClient())
            {
                var bundle = await http.GetAsync($"{address}/socket.io/socket.io.min.js");
                Assert.Equal(HttpStatusCode.OK, bundle.StatusCode); // ServeClient: the bundle embedded in the package
            }

            var run = await NodeClient.RunAsync("socketio-ack-client.mjs", address, "echo", """{"text":"héllo"}""");
            run.AssertSucceeded();
            var answer = Assert.Single(run.Named("ack")).GetProperty("answer");
            Assert.Equal("héllo", answer.GetProperty("echoed").GetProperty("text").GetString());
            Assert.StartsWith(feed.Version, answer.GetProperty("library").GetString());
            output.WriteLine($"consumer test {started.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertPackagesAreComplete(LocalPackageFeed feed)
    {
        foreach (var id in LocalPackageFeed.PackageIds)
        {
            var package = feed.PackagePath(id);
            var entries = LocalPackageFeed.Entries(package);
            Assert.Contains("README.md", entries);
            Assert.Contains($"lib/net10.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries); // the XML docs, for IntelliSense

            var metadata = LocalPackageFeed.Metadata(package, id);
            var license = metadata.Element("license")!;
            Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
            Assert.Equal("README.md", (string?)metadata.Element("readme"));
            Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element("description")));
            Assert.Equal("RealtimeApp", (string?)metadata.Element("authors"));
            Assert.StartsWith("https://github.com/", (string?)metadata.Element("repository")?.Attribute("url"));

            Assert.True(File.Exists(feed.SymbolPackagePath(id)), $"{id}: no .snupkg");
            Assert.Contains($"lib/net10.0/{id}.pdb", LocalPackageFeed.Entries(feed.SymbolPackagePath(id)));
        }
        // The adapter depends on the core package at the same version (a package, not a project, dependency).
        var dependency = LocalPackageFeed.Metadata(feed.PackagePath("RealtimeApp.SocketIO.Redis"), "RealtimeApp.SocketIO.Redis")
            .Descendants("dependency").Single(d => (string?)d.Attribute("id") == "RealtimeApp.SocketIO");
        Assert.Equal(feed.Version, (string?)dependency.Attribute("version"));
    }

    private static void WriteConsumerApp(string folder, LocalPackageFeed feed)
    {
        // Empty Directory.*.props end MSBuild's upward search here, so nothing of the repository (warnings as
        // errors aside, central package versions) leaks in even if the temporary folder were inside it.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="RealtimeApp.SocketIO" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        // The local feed for our packages only (a same-named package elsewhere can never win), nuget.org (the
        // source this machine's ~/.nuget/NuGet/NuGet.Config names) for anything else.
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="RealtimeApp.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        // Only the public API, as the README shows it.
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using System.Reflection;
            using RealtimeApp.SocketIO;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSocketIO();
            var app = builder.Build();

            var library = typeof(SocketIOServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var io = app.Services.GetRequiredService<SocketIOServer>();
            io.Of("/").OnConnection(socket => socket.On("echo", e => e.Ack?.Send(new { echoed = e.Arguments[0], library })));

            app.MapSocketIO("/socket.io");
            app.Run();
            """);
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
