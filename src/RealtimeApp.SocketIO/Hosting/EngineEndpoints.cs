using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>The Engine.IO endpoints this app mapped, for the shutdown drain and the metrics.</summary>
internal sealed class EngineEndpoints
{
    private readonly Lock _gate = new();
    private EngineServer[] _servers = [];

    public IReadOnlyList<EngineServer> Servers => Volatile.Read(ref _servers);

    public void Add(EngineServer server)
    {
        lock (_gate)
        {
            _servers = [.. _servers, server];
        }
    }

    // Read on demand (metrics, the shutdown drain), never on the send path.
    public int SessionCount => Servers.Sum(s => s.SessionCount);

    public long RefusedHandshakes => Servers.Sum(s => s.RefusedHandshakes);
}
