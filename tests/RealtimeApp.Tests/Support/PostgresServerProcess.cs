using System.Diagnostics;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// A real PostgreSQL server (Debian package <c>postgresql</c>) in a fresh data folder on a free loopback
/// port, trust authentication, stopped and deleted with the test. PostgreSQL refuses to run as root, so
/// as root (CI) its commands run as the <c>postgres</c> user the package creates.
/// </summary>
internal sealed class PostgresServerProcess : IAsyncDisposable
{
    private readonly string _folder;
    private Process? _server;

    private PostgresServerProcess(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Npgsql connection string of the <c>postgres</c> database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public static async Task<PostgresServerProcess> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "realtimeapp-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", "postgres:postgres", folder);
        }
        var server = new PostgresServerProcess(folder, Ports.FreeOnBothLoopbacks());
        await RunAsync(AsPostgres(Binary("initdb"), "-D", server.DataFolder, "-A", "trust", "-U", "postgres", "--no-sync"));
        try
        {
            await server.StartAgainAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        _server = Process.Start(Info(AsPostgres(Binary("postgres"), "-D", DataFolder, "-p", Port.ToString(),
            "-k", _folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")))!;
        _ = _server.StandardOutput.ReadToEndAsync();
        _ = _server.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await IsReadyAsync(Port))
        {
            if (DateTime.UtcNow > deadline || _server.HasExited)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on port {Port}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A fast shutdown (<c>pg_ctl stop -m fast</c>: open sessions are ended, as in an outage or a failover);
    /// the data stays for <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        await RunAsync(AsPostgres(Binary("pg_ctl"), "-D", DataFolder, "stop", "-m", "fast", "-w"));
        if (_server is { } server)
        {
            await server.WaitForExitAsync();
            server.Dispose();
            _server = null;
        }
    }

    private static async Task<bool> IsReadyAsync(int port)
    {
        using var probe = Process.Start(Info([Binary("pg_isready"), "-h", "127.0.0.1", "-p", port.ToString()]))!;
        await probe.WaitForExitAsync();
        return probe.ExitCode == 0;
    }

    /// <summary>The Debian package keeps its programs in /usr/lib/postgresql/&lt;version&gt;/bin, off PATH.</summary>
    private static string Binary(string name)
    {
        var packaged = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin", name)).LastOrDefault(File.Exists)
            : null;
        return packaged ?? name;
    }

    private static string[] AsPostgres(params string[] command) =>
        Environment.IsPrivilegedProcess ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static ProcessStartInfo Info(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..])
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    private static async Task RunAsync(params string[] command)
    {
        using var process = Process.Start(Info(command))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        _server?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
