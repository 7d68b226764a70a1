namespace RealtimeApp.LoadGen.Servers;

/// <summary>Locations in the repository, found from the directory holding RealtimeApp.sln.</summary>
internal sealed record RepoPaths(string Root)
{
    public string BenchHostDll => Path.Combine(Root, "bench/RealtimeApp.BenchHost/bin/Release/net10.0/RealtimeApp.BenchHost.dll");

    public string NodePeerDirectory => Path.Combine(Root, "bench/node-peer");

    public string NodePeerScript => Path.Combine(NodePeerDirectory, "server.mjs");

    public string ResultsDirectory => Path.Combine(Root, "bench/results");

    /// <summary>Walks up from this assembly's directory, then from the working directory.</summary>
    public static RepoPaths Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "RealtimeApp.sln")))
                {
                    return new RepoPaths(directory.FullName);
                }
            }
        }
        throw new InvalidOperationException("RealtimeApp.sln not found above the load generator or the working directory");
    }
}
