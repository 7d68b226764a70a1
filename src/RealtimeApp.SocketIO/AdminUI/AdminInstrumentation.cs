using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.AdminUI;

/// <summary>
/// Node's <c>instrument(io, opts)</c> of <c>@socket.io/admin-ui</c> 0.5.1: the admin namespace (auth, actions,
/// <c>config</c>, <c>all_sockets</c>), the 2-second <c>server_stats</c> and, in development mode, the live
/// socket, event and room feed. Every dashboard message goes through the admin namespace's adapter, so with a
/// cluster adapter each node's feed reaches every dashboard, as in Node.
/// </summary>
internal sealed partial class AdminInstrumentation : ISocketIOObserver, IDisposable
{
    internal static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(2);

    private readonly SocketIOServer _io;
    private readonly SocketIOAdminUIOptions _options;
    private readonly SocketNamespace _admin;
    private readonly AdminEventBuffer _events;
    private readonly bool _development;
    private readonly string[] _features;
    private readonly string _serverId;
    private readonly DateTimeOffset _started;
    private ITimer? _statsTimer;

    public AdminInstrumentation(SocketIOServer io, SocketIOAdminUIOptions options)
    {
        _io = io;
        _options = options;
        _admin = io.Of(options.Namespace);
        _events = new AdminEventBuffer(io.Time);
        _development = options.Mode == SocketIOAdminUIMode.Development;
        // Socket.IO v4 has socketsJoin, socketsLeave and disconnectSockets: all of Node's features.
        _features = [.. options.ReadOnly ? [] : (string[])["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"],
            "AGGREGATED_EVENTS", .. _development ? (string[])["ALL_EVENTS"] : []];
        _serverId = string.IsNullOrEmpty(options.ServerId) ? Environment.MachineName : options.ServerId;
        using var process = Process.GetCurrentProcess();
        _started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }

    /// <summary>Authentication, the admin connection handler, the observer seam and the stats timer.</summary>
    public void Start()
    {
        UseAuthentication();
        _admin.OnConnection(OnAdminConnectionAsync);
        _io.Observe(this); // every namespace so far, and each later one, reaches NamespaceCreated
        _statsTimer = _io.Time.CreateTimer(static s => ((AdminInstrumentation)s!).EmitStats(), this, TimeSpan.Zero, StatsInterval);
    }

    public void Dispose() => _statsTimer?.Dispose();

    private async Task OnAdminConnectionAsync(SocketContext socket)
    {
        if (socket.Data.Remove(SessionKey, out var session))
        {
            socket.Emit("session", Args(session as string));
        }
        if (!_options.ReadOnly)
        {
            RegisterActions(socket);
        }
        socket.Emit("config", Args(new JsonObject { ["supportedFeatures"] = new JsonArray([.. _features.Select(static f => (JsonNode?)f)]) }));
        if (_development)
        {
            socket.Emit("all_sockets", Args(await FetchAllSocketsAsync()));
        }
    }

    /// <summary>Node's fetchAllSockets: every namespace's fetchSockets (cluster-wide), serialized.</summary>
    private async Task<JsonArray> FetchAllSocketsAsync()
    {
        var all = new JsonArray();
        foreach (var ns in _io.Namespaces.ToList())
        {
            foreach (var remote in await ns.FetchSocketsAsync())
            {
                all.Add((JsonNode)AdminSerializer.Socket(remote.Id, ns.Name, remote.Data, remote.Handshake, remote.Rooms));
            }
        }
        return all;
    }

    private void EmitStats()
    {
        var namespaces = new JsonArray();
        foreach (var ns in _io.Namespaces)
        {
            namespaces.Add((JsonNode)new JsonObject { ["name"] = ns.Name, ["socketsCount"] = ns.Sockets.Count });
        }
        var aggregated = new JsonArray();
        foreach (var (timestamp, type, subType, count) in _events.TakeAll())
        {
            var entry = new JsonObject { ["timestamp"] = timestamp, ["type"] = type };
            if (subType is not null)
            {
                entry["subType"] = subType; // Node's JSON drops subType: undefined
            }
            entry["count"] = count;
            aggregated.Add((JsonNode)entry);
        }
        var sessions = _io.EngineSessions;
        AdminEmit("server_stats", new JsonObject
        {
            ["serverId"] = _serverId,
            ["hostname"] = Environment.MachineName,
            ["pid"] = Environment.ProcessId,
            ["uptime"] = (_io.Time.GetUtcNow() - _started).TotalSeconds,
            ["clientsCount"] = sessions.Count,
            // Node counts sessions opened on polling until they upgrade or close: the same as those polling now.
            ["pollingClientsCount"] = sessions.Count(static s => s.Transport == EngineTransports.Polling),
            ["aggregatedEvents"] = aggregated,
            ["namespaces"] = namespaces,
        });
    }

    // ----- the seam (ISocketIOObserver) -----

    public void NamespaceCreated(SocketNamespace ns)
    {
        if (_development)
        {
            RegisterVerboseListeners(ns);
        }
    }

    public void RoomJoined(SocketNamespace ns, string room, string id)
    {
        if (_development)
        {
            AdminEmit("room_joined", ns.Name, room, id, Now());
        }
    }

    public void RoomLeft(SocketNamespace ns, string room, string id)
    {
        if (_development)
        {
            AdminEmit("room_left", ns.Name, room, id, Now());
        }
    }

    public void EngineOpened(EngineSession session) => _events.Push("rawConnection");

    public void EngineUpgraded(EngineSession session, IReadOnlyList<SocketContext> sockets)
    {
        if (!_development)
        {
            return;
        }
        // Node updates each socket of the connection (socket.conn.on("upgrade")) and tells the dashboard.
        foreach (var socket in sockets)
        {
            socket.Data[AdminSerializer.AdminKey] = AdminData(session);
            AdminEmit("socket_updated", new JsonObject { ["id"] = socket.Id, ["nsp"] = socket.Namespace.Name, ["transport"] = "websocket" });
        }
    }

    public void EngineClosed(EngineSession session, EngineCloseReason reason) => _events.Push("rawDisconnection", reason.ToWireString());

    public void PacketIn(int bytes)
    {
        _events.Push("packetsIn");
        _events.Push("bytesIn", null, bytes);
    }

    public void PacketOut(int bytes)
    {
        _events.Push("packetsOut");
        _events.Push("bytesOut", null, bytes);
    }

    /// <summary>To every dashboard, through the admin namespace's adapter (so across a cluster, as Node).</summary>
    private void AdminEmit(string eventName, params JsonNode?[] args) => new BroadcastOperator(_admin).Emit(eventName, Args(args));

    // JSON elements: the trimming-safe way to emit (no reflection over runtime types).
    private static SocketArguments Args(params JsonNode?[] args) =>
        SocketArguments.FromJson([.. args.Select(static a => ToElement(a))]);

    private static JsonElement ToElement(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }

    private string Now() => AdminSerializer.Date(_io.Time.GetUtcNow());

    // A JsonElement: socket.data values travel as JSON to other nodes (fetchSockets), as Node's data._admin does.
    private static JsonElement AdminData(EngineSession session)
    {
        var admin = new JsonObject
        {
            // Node: the engine id's first 12 characters.
            ["clientId"] = session.Id.Length > 12 ? session.Id[..12] : session.Id,
            ["transport"] = AdminSerializer.TransportName(session.Transport),
        };
        return ToElement(admin);
    }
}
