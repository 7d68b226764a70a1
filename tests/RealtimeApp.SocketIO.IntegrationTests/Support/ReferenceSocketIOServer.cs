using System.Diagnostics;
using System.Text.Json;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// Node's socket.io (pinned in tests/js/package.json) with the echo handlers of <see cref="SocketIOTestHandlers"/>
/// that socketio-echo-client.mjs uses, run by <c>tests/js/reference-socketio-server.mjs</c>: the reference a
/// differential test runs the same client script against.
/// </summary>
internal sealed class ReferenceSocketIOServer : IAsyncDisposable
{
    private readonly Process _process;

    private ReferenceSocketIOServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    /// <param name="script">Another reference script of tests/js with the same contract (first line {"port":N}, ends with stdin).</param>
    public static async Task<ReferenceSocketIOServer> StartAsync(bool msgPack, string script = "reference-socketio-server.mjs")
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeClient.ScriptsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(NodeClient.ScriptsDirectory, script));
        if (msgPack)
        {
            info.ArgumentList.Add("--msgpack");
        }
        var process = Process.Start(info)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (first is null)
            {
                var errors = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"{script} exited before listening: {errors}");
            }
            var port = JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32();
            return new ReferenceSocketIOServer(process, new Uri($"http://127.0.0.1:{port}/"));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close(); // the script exits when stdin ends
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
