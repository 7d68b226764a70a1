using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// The parent's handle on a <c>hold</c> child: a second copy of the generator holding part of the idle clients,
/// because one process may have at most 20,000 open files. It inherits our CPU affinity (core 1).
/// </summary>
internal sealed class HoldChild : IDisposable
{
    private readonly Process _process;

    private HoldChild(Process process) => _process = process;

    public static HoldChild Start(ClientTarget target, int count, int inFlight)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(HoldChild).Assembly.Location);
        }
        foreach (var argument in new[]
        {
            "hold",
            "--port", target.Server.Port.ToString(CultureInfo.InvariantCulture),
            "--path", target.WebSocketPath,
            "--count", count.ToString(CultureInfo.InvariantCulture),
            "--in-flight", inFlight.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        if (!target.EngineIo)
        {
            start.ArgumentList.Add("--raw");
        }
        return new HoldChild(Process.Start(start) ?? throw new InvalidOperationException("could not start the hold child"));
    }

    public async Task<HoldReport> WaitConnectedAsync() =>
        JsonSerializer.Deserialize<HoldReport>(await ReadLineAsync(TimeSpan.FromMinutes(5)), JsonSerializerOptions.Web)!;

    public async Task<int> OpenAsync()
    {
        await _process.StandardInput.WriteLineAsync("status");
        await _process.StandardInput.FlushAsync();
        return JsonSerializer.Deserialize<HoldStatus>(await ReadLineAsync(TimeSpan.FromSeconds(30)), JsonSerializerOptions.Web)!.Open;
    }

    /// <summary>Closing its stdin tells the child to close its clients and exit.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout) =>
        await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout)
        ?? throw new InvalidOperationException("the hold child exited early");
}
