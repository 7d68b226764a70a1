using RealtimeApp.SocketIO.IntegrationTests.Support;
using Xunit.Abstractions;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// Every <see cref="ConformanceHostTests"/> test against the conformance host published with NativeAOT (once per run),
/// plus its startup time and idle memory next to the JIT host's, written to the test output.
/// </summary>
public sealed class NativeAotConformanceHostTests(NativeAotConformanceHost aot, ITestOutputHelper output)
    : ConformanceHostTests, IClassFixture<NativeAotConformanceHost>
{
    private protected override Task<ConformanceHostProcess> StartHostAsync(params string[] configuration) =>
        ConformanceHostProcess.StartExecutableAsync(aot.Executable, configuration);

    [Fact]
    public async Task Starts_faster_and_idles_smaller_than_the_JIT_host()
    {
        // Best of three starts each (the box is shared), RSS once warmed up (a handshake and a namespace join) and idle.
        var (jitStart, jitRss) = await MeasureAsync(null);
        var (aotStart, aotRss) = await MeasureAsync(aot.Executable);
        var size = new FileInfo(aot.Executable).Length;
        output.WriteLine($"NativeAOT publish {aot.PublishTime.TotalSeconds:F0} s, executable {size / 1048576.0:F1} MB");
        output.WriteLine($"startup (process start -> listening): JIT {jitStart.TotalMilliseconds:F0} ms, NativeAOT {aotStart.TotalMilliseconds:F0} ms");
        output.WriteLine($"idle RSS after warm-up: JIT {jitRss / 1048576.0:F1} MB, NativeAOT {aotRss / 1048576.0:F1} MB");
        Assert.True(aotStart < jitStart, $"NativeAOT {aotStart} vs JIT {jitStart}");
        Assert.True(aotRss < jitRss, $"NativeAOT {aotRss} vs JIT {jitRss} bytes");
    }

    private static async Task<(TimeSpan Startup, long Rss)> MeasureAsync(string? executable)
    {
        var best = TimeSpan.MaxValue;
        long rss = 0;
        for (var i = 0; i < 3; i++)
        {
            await using var host = await ConformanceHostProcess.StartExecutableAsync(executable);
            best = host.StartupTime < best ? host.StartupTime : best;
            await Task.Delay(TimeSpan.FromSeconds(1));
            rss = host.ResidentBytes();
        }
        return (best, rss);
    }
}
