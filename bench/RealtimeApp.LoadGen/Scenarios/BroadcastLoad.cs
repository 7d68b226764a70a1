using System.Diagnostics;
using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// What <c>bcast-N-dD</c> and the cluster rows measure alike: N clients connected (client 0 the sender, at most D
/// broadcasts outstanding: <see cref="BroadcastRun"/>), one measurement window, the drain after it, and the
/// broadcast rate and notes of the sample. Disposing closes the clients.
/// </summary>
internal sealed class BroadcastLoad : IDisposable
{
    // At most D frames of ~80 bytes (plus a ping) are ever in flight to a receiver; the sender reads acks too.
    public const int ReceiverBufferSize = 4 * 1024;

    private readonly ClientSet _set;
    private readonly BroadcastReceiver[] _receivers;
    private readonly BroadcastRun _run;
    private readonly BroadcastSender _sender;

    private BroadcastLoad(ClientSet set, BroadcastReceiver[] receivers, BroadcastRun run, BroadcastSender sender)
    {
        _set = set;
        _receivers = receivers;
        _run = run;
        _sender = sender;
    }

    /// <summary>Connects the clients (client i to <paramref name="targetFor"/>(i)) and starts the sender.</summary>
    public static async Task<BroadcastLoad> StartAsync(Func<int, ClientTarget> targetFor, int clients, int depth)
    {
        var receivers = new BroadcastReceiver[clients];
        var run = new BroadcastRun(clients, depth);
        var set = await Connector.ConnectAsync(targetFor, clients, Connector.DefaultInFlight, ReceiverBufferSize,
            (_, index) => receivers[index] = new BroadcastReceiver(run, isSender: index == 0));
        if (set.Failures > 0 || set.Connections[0] is not { } senderConnection)
        {
            // A missing receiver would never settle a broadcast: measure nothing rather than a stall.
            var failure = set.FailureNote ?? "no sender connection";
            set.Dispose();
            throw new InvalidOperationException(failure);
        }
        var sender = new BroadcastSender(senderConnection, run);
        run.Sender = sender;
        sender.Start();
        return new BroadcastLoad(set, receivers, run, sender);
    }

    /// <summary>
    /// The window (deliveries counted over all clients, <paramref name="cpu"/> read at its ends), then the drain of
    /// the outstanding broadcasts so the next measurement starts on a quiet server. <paramref name="sampleOf"/> makes
    /// the sample of the window (CPU, deliveries, delay histogram); its broadcast rate and notes are added here.
    /// </summary>
    public async Task<Sample> MeasureAsync(Func<CpuSnapshot> cpu, Phase phase, Func<CpuWindow, long, LatencyHistogram, Sample> sampleOf)
    {
        long broadcastsBefore = 0;
        var (window, deliveries) = await MeasurementWindow.RunAsync(cpu, phase,
            () => _receivers.Sum(receiver => receiver.Deliveries),
            () =>
            {
                _run.Histogram = new();
                broadcastsBefore = _sender.Settled;
            });
        var histogram = _run.Histogram;
        var broadcasts = _sender.Settled - broadcastsBefore;
        _run.Stopping = true;
        var drainStart = Stopwatch.GetTimestamp();
        while (_sender.Outstanding > 0 && Stopwatch.GetElapsedTime(drainStart) < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(20);
        }

        var sample = sampleOf(window, deliveries, histogram);
        sample.Metrics["broadcastsPerSec"] = broadcasts / window.Seconds;
        if (_run.Losses.Note is { } losses)
        {
            sample.Notes.Add(losses);
        }
        if (broadcasts == 0)
        {
            sample.Notes.Add("stalled: no broadcast settled in the window (a lost delivery or ack?)");
        }
        if (_sender.Outstanding > 0)
        {
            sample.Notes.Add($"{_sender.Outstanding} broadcasts never settled");
        }
        return sample;
    }

    public void Dispose() => _set.Dispose();
}
