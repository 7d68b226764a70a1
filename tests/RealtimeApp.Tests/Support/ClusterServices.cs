using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// What app nodes of one cluster share: a real PostgreSQL (the item store) and a real Redis (the Socket.IO
/// adapter), with the settings that point a node at them.
/// </summary>
internal sealed class ClusterServices : IAsyncDisposable
{
    private ClusterServices(PostgresServerProcess postgres, RedisServerProcess redis)
    {
        Postgres = postgres;
        Redis = redis;
        NodeSettings = new Dictionary<string, string>
        {
            ["Items__Store"] = "Postgres",
            ["ConnectionStrings__Items"] = postgres.ConnectionString,
            ["SocketIO__Redis__Configuration"] = redis.Configuration,
        };
    }

    public PostgresServerProcess Postgres { get; }

    public RedisServerProcess Redis { get; }

    /// <summary>Environment of an app process that is a node of this cluster.</summary>
    public IReadOnlyDictionary<string, string> NodeSettings { get; }

    public static async Task<ClusterServices> StartAsync()
    {
        var postgres = await PostgresServerProcess.StartAsync();
        try
        {
            return new ClusterServices(postgres, await RedisServerProcess.StartAsync());
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
