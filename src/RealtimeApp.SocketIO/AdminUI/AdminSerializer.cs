using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealtimeApp.SocketIO.AdminUI;

/// <summary>The shapes the dashboard reads (typed-events.d.ts of @socket.io/admin-ui 0.5.1), as JSON nodes.</summary>
internal static class AdminSerializer
{
    /// <summary>Where Node keeps clientId and transport: in socket.data, so fetchSockets carries them across a cluster.</summary>
    public const string AdminKey = "_admin";

    /// <summary>The session id the login handed to the connection handler (AdminInstrumentation.Handlers); never shown.</summary>
    public const string SessionKey = "_adminSession";

    /// <summary>JSON.stringify of a Date: ISO 8601 in UTC with milliseconds.</summary>
    public static string Date(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string TransportName(EngineIO.EngineTransports transport) =>
        transport == EngineIO.EngineTransports.Polling ? "polling" : "websocket";

    /// <summary>Node's serialize(socket): from what fetchSockets gives (data and handshake as JSON).</summary>
    public static JsonObject Socket(string id, string nsp, JsonElement data, JsonElement handshake, IEnumerable<string> rooms)
    {
        string? clientId = null, transport = null;
        var cleanData = new JsonObject();
        if (data.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in data.EnumerateObject())
            {
                if (property.Name == AdminKey)
                {
                    clientId = Text(property.Value, "clientId");
                    transport = Text(property.Value, "transport");
                }
                else if (property.Name != SessionKey)
                {
                    cleanData[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }
        }
        var headers = Child(handshake, "headers") ?? new JsonObject();
        var address = Text(handshake, "headers", "cf-connecting-ip") ?? Text(handshake, "headers", "x-forwarded-for")
            ?? Text(handshake, "address");
        var socket = new JsonObject
        {
            ["id"] = id,
            ["clientId"] = clientId,
            ["transport"] = transport,
            ["nsp"] = nsp,
            ["data"] = cleanData,
            ["handshake"] = new JsonObject
            {
                // Every field but auth (Node: "ignore auth and other attributes like sessionStore").
                ["address"] = address,
                ["headers"] = headers,
                ["query"] = Child(handshake, "query") ?? new JsonObject(),
                ["issued"] = Child(handshake, "issued"),
                ["secure"] = Child(handshake, "secure"),
                ["time"] = Child(handshake, "time"),
                ["url"] = Child(handshake, "url"),
                ["xdomain"] = Child(handshake, "xdomain"),
            },
            ["rooms"] = new JsonArray([.. rooms.Select(static r => (JsonNode?)JsonValue.Create(r))]),
        };
        return socket;
    }

    /// <summary>serialize() of a socket on this node.</summary>
    public static JsonObject Socket(SocketContext socket) =>
        Socket(socket.Id, socket.Namespace.Name, socket.DataToJson(), socket.Handshake.ToJson(), socket.Rooms);

    /// <summary>socket.data without <c>_admin</c> (Node's serializeData).</summary>
    public static JsonObject Data(SocketContext socket)
    {
        var data = new JsonObject();
        foreach (var property in socket.DataToJson().EnumerateObject())
        {
            if (property.Name != AdminKey)
            {
                data[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
        return data;
    }

    /// <summary>onAny's (event, ...args) as one array, as Node's listener sees them.</summary>
    public static JsonArray Arguments(string eventName, IEnumerable<JsonElement> args) =>
        new([JsonValue.Create(eventName), .. args.Select(static a => JsonNode.Parse(a.GetRawText()))]);

    private static JsonNode? Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? JsonNode.Parse(value.GetRawText())
            : null;

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
