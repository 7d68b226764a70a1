using System.Diagnostics;
using RealtimeApp.Shared;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// A real <c>redis-server</c> (Debian package) on a free loopback port, nothing persisted, stopped with the
/// test. <see cref="StopAsync"/> / <see cref="StartAgainAsync"/> take it away and bring it back on the same
/// port (for the connection-loss tests).
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private Process? _process;

    private readonly string? _dataDirectory;

    private RedisServerProcess(int port, bool persistent)
    {
        Port = port;
        if (persistent)
        {
            _dataDirectory = Directory.CreateTempSubdirectory("redis-aof-").FullName;
        }
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>node-redis URL.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <param name="persistent">
    /// Keep the data across <see cref="StopAsync"/> / <see cref="StartAgainAsync"/> with an append-only file
    /// synced on every write (what a deployment of the streams adapter uses), so a kill loses nothing acknowledged.
    /// </param>
    public static async Task<RedisServerProcess> StartAsync(bool persistent = false)
    {
        var server = new RedisServerProcess(ChildProcesses.FreePort(), persistent);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] persistence = _dataDirectory is null
            ? ["--appendonly", "no"]
            : ["--appendonly", "yes", "--appendfsync", "always", "--dir", _dataDirectory];
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "" }.Concat(persistence))
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info)!;
        _ = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = _process.StandardOutput.ReadToEndAsync();
                return;
            }
        }
        throw new InvalidOperationException($"redis-server did not start on port {Port}");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
