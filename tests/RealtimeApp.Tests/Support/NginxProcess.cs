using System.Diagnostics;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// A real nginx (Debian package) serving the shipped <c>deploy/nginx.conf.template</c>, rendered with the
/// test's two app nodes and a free port, in a private prefix folder; stopped with the test.
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private readonly string _prefix;
    private readonly Process _process;

    private NginxProcess(string prefix, Process process, int port)
    {
        _prefix = prefix;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}/";

    /// <param name="nodes">The app nodes' addresses (http://127.0.0.1:port/).</param>
    /// <param name="edit">A change to the rendered site configuration (e.g. to take stickiness out).</param>
    public static async Task<NginxProcess> StartAsync(string[] nodes, Func<string, string>? edit = null)
    {
        var prefix = Path.Combine(Path.GetTempPath(), "realtimeapp-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(prefix);
        var port = Ports.FreeOnBothLoopbacks();
        var site = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "deploy", "nginx.conf.template"))
            .Replace("${APP_NODE_1}", new Uri(nodes[0]).Authority)
            .Replace("${APP_NODE_2}", new Uri(nodes[1]).Authority)
            .Replace("${NGINX_PORT}", $"127.0.0.1:{port}");
        File.WriteAllText(Path.Combine(prefix, "site.conf"), edit?.Invoke(site) ?? site);
        // The main configuration the Debian package would give, reduced to what a private instance needs.
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $$"""
            {{(Environment.IsPrivilegedProcess ? "user root;" : "")}}
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/site.conf;
            }
            """);
        var info = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;" })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var nginx = new NginxProcess(prefix, process, port);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var health = await http.GetAsync(nginx.Address + "health");
                if (health.IsSuccessStatusCode)
                {
                    return nginx;
                }
            }
            catch (HttpRequestException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await nginx.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {(process.HasExited ? await errors : "timeout")}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
