using System.Text.Json;
using RealtimeApp.SocketIO.Adapters;

namespace RealtimeApp.SocketIO.IntegrationTests.Adapters;

// Connection state recovery is part of the contract: an adapter that claims SupportsRecovery must keep
// sessions and offsets and give back the missed packets in order; one that does not must never restore,
// and then the namespace must not promise recovery to clients (no pid, no offsets).
public abstract partial class AdapterSpecification
{
    [Fact]
    public async Task What_the_adapter_claims_about_recovery_is_what_clients_are_offered()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var (client, id, reply) = await ConnectAsync(server);
        await using var __ = client;

        ns.Emit("hello");
        var hello = JsonDocument.Parse((await client.ReceiveTextAsync())[$"42{Nsp},".Length..]).RootElement;

        var offered = WithRecovery && ns.Adapter.SupportsRecovery;
        Assert.Equal(offered, reply.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.String);
        // The offset goes last in every stored event; without recovery there is none.
        Assert.Equal(offered ? 2 : 1, hello.GetArrayLength());
        Assert.Equal(ns.Adapter.SupportsRecovery, ns.Adapter.SupportsRecovery); // asked twice, same answer
    }

    [Fact]
    public async Task A_persisted_session_is_restored_once_with_the_packets_its_rooms_missed_in_order_or_never()
    {
        var (server, ns) = await StartAsync();
        await using var _ = server;
        var (client, id, _) = await ConnectAsync(server);
        await using var __ = client;
        Socket(ns, id).Join("r1");
        var adapter = ns.Adapter;

        ns.To("r1").Emit("seen");
        var seen = JsonDocument.Parse((await client.ReceiveTextAsync())[$"42{Nsp},".Length..]).RootElement;
        var offset = seen.GetArrayLength() == 2 ? seen[1].GetString()! : "no-offset";
        adapter.PersistSession(new PersistedSession("gone", "pid-1", ["gone", "r1"], new Dictionary<string, object?> { ["k"] = 1 }));
        ns.To("r1").Emit("to-r1", 1);
        ns.To("r2").Emit("to-r2");
        ns.Except("r1").Emit("not-r1");
        ns.Emit("to-all", 2);
        ns.To("gone").Emit("to-it");
        ns.Volatile.Emit("volatile"); // not stored (Node's rule)
        // Once the live client has this one, every node-side path (a stream reader too) has handed the others out. To its
        // own room only, so not for the persisted session (and not volatile: that one may be dropped behind the others).
        ns.To(id).Emit("synced");
        while (!(await client.ReceiveTextAsync()).StartsWith($"42{Nsp},[\"synced\"", StringComparison.Ordinal))
        {
        }

        var claimed = new List<PersistedSession>();
        Assert.Null(await adapter.RestoreSessionAsync("unknown-pid", offset, claimed.Add));
        Assert.Null(await adapter.RestoreSessionAsync("pid-1", "not-an-offset", claimed.Add));
        Assert.Empty(claimed);
        var restored = await adapter.RestoreSessionAsync("pid-1", offset, claimed.Add);

        if (!(WithRecovery && adapter.SupportsRecovery))
        {
            Assert.Null(restored);
            Assert.Empty(claimed);
            Assert.Empty(adapter.SocketRooms("gone"));
            return;
        }
        Assert.NotNull(restored);
        Assert.Equal("gone", Assert.Single(claimed).Sid);
        Assert.Equal("pid-1", restored.Session.Pid);
        Assert.Equal(1, ((JsonElement)JsonSerializer.SerializeToElement(restored.Session.Data["k"])).GetInt32());
        var missed = restored.MissedPackets.Select(p => JsonDocument.Parse(p.Data.Json).RootElement).ToList();
        Assert.Equal(["to-r1", "to-all", "to-it"], missed.Select(m => m[0].GetString()));
        Assert.Equal([1, 2], missed.Take(2).Select(m => m[1].GetInt32()));
        // Each one still carries its offset, last, as the client will read it.
        Assert.All(restored.MissedPackets, p => Assert.Equal(p.Offset, JsonDocument.Parse(p.Data.Json).RootElement.EnumerateArray().Last().GetString()));
        // The restored id is back in its rooms, in one step with the claim.
        Assert.Equal(Sorted("gone", "r1"), Sorted([.. adapter.SocketRooms("gone")]));
        // Taken once: a second reconnect with the same pid starts fresh.
        Assert.Null(await adapter.RestoreSessionAsync("pid-1", offset, claimed.Add));
        adapter.DeleteAll("gone");
    }
}
