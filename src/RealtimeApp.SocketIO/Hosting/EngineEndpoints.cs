using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>The Engine.IO endpoints this app mapped, for the shutdown drain and the metrics.</summary>
internal sealed class EngineEndpoints
{
    private EngineServer[] _servers = [];

    public IReadOnlyList<EngineServer> Servers => Volatile.Read(ref _servers);

    public void Add(EngineServer server)
    {
        lock (this)
        {
            _servers = [.. _servers, server];
        }
    }

    public int SessionCount
    {
        get
        {
            var total = 0;
            foreach (var server in Servers)
            {
                total += server.SessionCount;
            }
            return total;
        }
    }

    public long RefusedHandshakes
    {
        get
        {
            long total = 0;
            foreach (var server in Servers)
            {
                total += server.RefusedHandshakes;
            }
            return total;
        }
    }
}
