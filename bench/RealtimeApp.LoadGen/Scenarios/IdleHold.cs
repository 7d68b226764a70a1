using System.Diagnostics;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Servers;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>One fresh server holding N idle clients, from its start to its measurement.</summary>
internal sealed class IdleHold : IDisposable
{
    /// <summary>Beyond this many clients half go to a child process (20,000 open files per process).</summary>
    private const int ClientsPerProcess = 10_000;

    private readonly ServerProcess _server;
    private ClientSet? _local;
    private HoldChild? _child;
    private HoldReport? _childReport;
    private long _baselineRssKb;
    private long _baselineHeap;
    private CpuSnapshot _holdStart;

    private IdleHold(ServerProcess server) => _server = server;

    /// <summary>How many sockets the generator process itself holds for <paramref name="clients"/> clients.</summary>
    public static int LocalClients(int clients) => clients > ClientsPerProcess ? clients - clients / 2 : clients;

    private int Connected => (_local?.Connected ?? 0) + (_childReport?.Connected ?? 0);

    public static async Task<IdleHold> StartAsync(RunContext context, ServerKind kind, int clients)
    {
        var hold = new IdleHold(await context.StartServerAsync(kind));
        try
        {
            await hold.ConnectAsync(kind, clients);
            return hold;
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    public async Task<Sample> FinishAsync(TimeSpan holdTime, int rep)
    {
        var remaining = holdTime - Stopwatch.GetElapsedTime(_holdStart.Timestamp);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
        var window = _server.Cpu() - _holdStart;

        var kind = _server.Kind;
        var sample = new Sample(kind, rep);
        sample.Cpu = window; // no per-operation cost here: idle CPU % is the metric
        sample.TakeMemory(_server);
        var open = (_local?.Open ?? 0) + (_child is null ? 0 : await _child.OpenAsync());
        var stats = await _server.StatsAsync();
        var heapAfterGc = await _server.CollectGarbageAsync();
        var (rssAfterGcKb, _) = _server.Memory();

        var perConnection = Math.Max(1, Connected);
        sample.Metrics["rssKbPerConn"] = (double)(sample.VmRssKb - _baselineRssKb) / perConnection;
        sample.Metrics["rssKbPerConnAfterGc"] = (double)(rssAfterGcKb - _baselineRssKb) / perConnection;
        sample.Metrics["heapKbPerConn"] = (heapAfterGc - _baselineHeap) / 1024.0 / perConnection;
        sample.Metrics["heapKbPerConnBeforeGc"] = (stats.Heap - _baselineHeap) / 1024.0 / perConnection;
        sample.Metrics["idleCpuPercent"] = window.ServerPercent;
        sample.Metrics["clientsOpen"] = open;
        sample.Metrics["connected"] = Connected;
        sample.Metrics["baselineRssKb"] = _baselineRssKb;
        sample.Metrics["rssAfterGcKb"] = rssAfterGcKb;
        sample.Metrics["heapAfterGcBytes"] = heapAfterGc;
        // The ceiling has no Engine.IO sessions: only the generator's view counts there.
        if (kind.SpeaksEngineIo())
        {
            var sessions = stats.Sessions ?? -1;
            sample.Metrics["sessions"] = sessions;
            sample.Metrics["held"] = Math.Min(sessions, open);
            if (sessions != Connected)
            {
                sample.Notes.Add($"server reports {sessions} sessions for {Connected} clients");
            }
        }
        else
        {
            sample.Metrics["held"] = open;
        }
        if (open != Connected)
        {
            sample.Notes.Add($"{Connected - open} clients lost during the hold");
        }
        AddConnectNotes(sample);
        return sample;
    }

    public void Dispose()
    {
        _local?.Dispose();
        _child?.Dispose();
        _server.Dispose();
    }

    private async Task ConnectAsync(ServerKind kind, int clients)
    {
        var target = new ClientTarget(_server.EndPoint, kind.WebSocketPath(), kind.SpeaksEngineIo());

        // Served and closed before the baseline, so first-request setup is not counted per connection.
        using (var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        using (await WsConnection.ConnectAsync(target, IdleScenario.ReceiveBufferSize, warmUp.Token))
        {
        }
        await Task.Delay(200); // let the server finish closing it
        _baselineHeap = await _server.CollectGarbageAsync();
        _baselineRssKb = _server.Memory().RssKb;

        // Two processes beyond one process's file limit; together still 200 connects in flight.
        var childClients = clients - LocalClients(clients);
        var inFlight = childClients > 0 ? Connector.DefaultInFlight / 2 : Connector.DefaultInFlight;
        if (childClients > 0)
        {
            _child = HoldChild.Start(target, childClients, inFlight);
        }
        _local = await Connector.ConnectAsync(target, clients - childClients, inFlight, IdleScenario.ReceiveBufferSize, (_, _) => IgnoringSink.Instance);
        if (_child is not null)
        {
            _childReport = await _child.WaitConnectedAsync();
        }
        _holdStart = _server.Cpu();
    }

    private void AddConnectNotes(Sample sample)
    {
        if (_local?.FailureNote is { } note)
        {
            sample.Notes.Add(note);
        }
        if (_childReport is { Failed: > 0 } report)
        {
            sample.Notes.Add($"hold child: {report.Failed} connects failed (first: {report.FirstError})");
        }
    }
}
