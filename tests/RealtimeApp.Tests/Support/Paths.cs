using System.Reflection;

namespace RealtimeApp.Tests.Support;

/// <summary>Folders baked in at build time (see the csproj), so tests never guess relative paths.</summary>
internal static class Paths
{
    public static string AppDirectory => Metadata("RealtimeAppDirectory");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    private static string Metadata(string key) =>
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"{key} missing");
}
