using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// <c>/health/ready</c> on a cluster node (PostgreSQL store, Redis adapter): 503 while the store or Redis
/// is down and 200 again when it is back, 503 from the moment the node starts draining at SIGTERM, while
/// <c>/health/live</c> (and <c>/health</c>, the image's probe) stays 200 throughout. Real servers, taken
/// away and brought back on the same ports.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ready_goes_503_while_the_store_or_Redis_is_down_and_back_to_200_when_it_returns()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var app = await ItemApp.StartAsync(cluster.NodeSettings);
        AssertChecks(await WaitForReadyAsync(app, HttpStatusCode.OK), store: "Healthy", redis: "Healthy", socketio: "Healthy");

        await cluster.Postgres.StopAsync();
        AssertChecks(await WaitForReadyAsync(app, HttpStatusCode.ServiceUnavailable), store: "Unhealthy", redis: "Healthy", socketio: "Healthy");
        await AssertLiveAsync(app);
        await cluster.Postgres.StartAgainAsync();
        await WaitForReadyAsync(app, HttpStatusCode.OK);

        await cluster.Redis.StopAsync();
        AssertChecks(await WaitForReadyAsync(app, HttpStatusCode.ServiceUnavailable), store: "Healthy", redis: "Unhealthy", socketio: "Healthy");
        await AssertLiveAsync(app);
        await cluster.Redis.StartAgainAsync();
        AssertChecks(await WaitForReadyAsync(app, HttpStatusCode.OK), store: "Healthy", redis: "Healthy", socketio: "Healthy");
    }

    [Fact]
    public async Task Ready_goes_503_as_soon_as_the_node_drains_while_a_running_bid_finishes_and_is_acked()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var app = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var held = await HeldBid.StartAsync(cluster, app);

        app.Process.SendSigterm();
        var draining = await WaitForReadyAsync(app, HttpStatusCode.ServiceUnavailable);
        AssertChecks(draining, store: "Healthy", redis: "Healthy", socketio: "Unhealthy");
        Assert.StartsWith("draining", draining.GetProperty("checks").GetProperty("socketio").GetProperty("description").GetString());
        await AssertLiveAsync(app);

        (await held.ReleaseAsync()).AssertOk();
        Assert.Equal(0, await app.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Behind_the_shipped_nginx_config_new_clients_of_a_draining_node_go_to_the_other_node()
    {
        await using var cluster = await ClusterServices.StartAsync();
        await using var a = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var b = await ItemApp.StartAsync(cluster.NodeSettings);
        await using var nginx = await NginxProcess.StartAsync([a.Address, b.Address]);
        using var viaNginx = new HttpClient { BaseAddress = new Uri(nginx.Address) };

        // nginx hashes the client address: find the node this test's address is sent to.
        Assert.StartsWith("0{", await viaNginx.GetStringAsync("/socket.io/?EIO=4&transport=polling"));
        var (home, other) = await EngineSessionsAsync(a) == 1 ? (a, b) : (b, a);
        Assert.Equal(0, await EngineSessionsAsync(other));

        // Keep the home node draining: a bid held by a row lock is still running when SIGTERM arrives.
        await using var held = await HeldBid.StartAsync(cluster, home);
        home.Process.SendSigterm();
        await WaitForReadyAsync(home, HttpStatusCode.ServiceUnavailable);

        // The draining node answers the handshake 503; nginx passes it on, so the client gets a session.
        using var handshake = await viaNginx.GetAsync("/socket.io/?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.StartsWith("0{", await handshake.Content.ReadAsStringAsync());
        Assert.Equal(1, await EngineSessionsAsync(other));

        (await held.ReleaseAsync()).AssertOk();
        Assert.Equal(0, await home.Process.WaitForExitAsync());
    }

    /// <summary>
    /// A bid whose handler stays running until <see cref="ReleaseAsync"/>: the test holds the item's row lock in
    /// PostgreSQL, so the bid's transaction waits for it (as a slow database would make it wait).
    /// </summary>
    private sealed class HeldBid : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];
        private NpgsqlTransaction? _hold;
        private Task<JsonElement> _bid = null!;

        public static async Task<HeldBid> StartAsync(ClusterServices cluster, ItemApp app)
        {
            var held = new HeldBid();
            var seller = await app.ConnectAsync("seller");
            var bidder = await app.ConnectAsync("bidder");
            var holder = new NpgsqlConnection(cluster.Postgres.ConnectionString);
            held._owned.AddRange([seller, bidder, holder]);
            var id = (await seller.RequestAsync("item:create", new { title = "Held", startingPrice = 5m })).AssertOk().Id();
            await holder.OpenAsync();
            held._hold = await holder.BeginTransactionAsync();
            await using (var select = new NpgsqlCommand("SELECT id FROM items WHERE id = @id FOR UPDATE", holder, held._hold))
            {
                select.Parameters.AddWithValue("id", id);
                await select.ExecuteScalarAsync();
            }
            held._bid = bidder.RequestAsync("item:bid", new { itemId = id, amount = 5m });
            await WaitUntilAsync(async () => await RunningHandlersAsync(app) == 1, "the bid's handler to be running");
            return held;
        }

        /// <summary>Lets the bid's transaction go on; returns its ack.</summary>
        public async Task<JsonElement> ReleaseAsync()
        {
            await _hold!.RollbackAsync();
            return await _bid;
        }

        public async ValueTask DisposeAsync()
        {
            if (_hold is not null)
            {
                await _hold.DisposeAsync();
            }
            foreach (var owned in _owned)
            {
                await owned.DisposeAsync();
            }
        }
    }

    private static async Task<int> EngineSessionsAsync(ItemApp app) =>
        (await MetricsAsync(app)).GetProperty("socketIO").GetProperty("engineSessions").GetInt32();

    private static async Task<int> RunningHandlersAsync(ItemApp app) =>
        (await MetricsAsync(app)).GetProperty("socketIO").GetProperty("runningHandlers").GetInt32();

    private static void AssertChecks(JsonElement report, string store, string redis, string socketio)
    {
        var checks = report.GetProperty("checks");
        Assert.Equal(store, checks.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal(redis, checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal(socketio, checks.GetProperty("socketio").GetProperty("status").GetString());
    }

    private static async Task AssertLiveAsync(ItemApp app)
    {
        foreach (var path in new[] { "/health/live", "/health" })
        {
            using var response = await app.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Probes <c>/health/ready</c> as a load balancer would, until it answers <paramref name="status"/>; returns its report.</summary>
    private static async Task<JsonElement> WaitForReadyAsync(ItemApp app, HttpStatusCode status)
    {
        JsonElement report = default;
        await WaitUntilAsync(async () =>
        {
            using var response = await app.Http.GetAsync("/health/ready");
            report = await response.Content.ReadFromJsonAsync<JsonElement>();
            return response.StatusCode == status;
        }, $"/health/ready to answer {(int)status}", () => report.ToString());
        return report;
    }

    private static Task<JsonElement> MetricsAsync(ItemApp app) => app.Http.GetFromJsonAsync<JsonElement>("/debug/metrics");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<string>? last = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; last: {last?.Invoke()}");
            }
            await Task.Delay(100);
        }
    }
}
