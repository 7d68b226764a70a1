using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// Where Socket.IO protocol revision 4 — what <c>socket.io-client</c> 1.x/2.x speaks, over Engine.IO v3 —
/// differs from v5 on the server's side (Node's socket.io keeps the same rules under <c>allowEIO3</c>).
/// The packet encoding is the same; the connection handshake is not.
/// </summary>
internal static class LegacyProtocol
{
    /// <summary>
    /// A v2 client sends its auth as the query string of the namespace in CONNECT (<c>0/admin?token=abc,</c>):
    /// the path is the namespace, the query pairs are the auth object (strings; a repeated key an array).
    /// </summary>
    public static (string Namespace, JsonElement Auth) SplitNamespace(string nsp)
    {
        var question = nsp.IndexOf('?');
        if (question < 0)
        {
            return (nsp, SocketIOServer.EmptyObject);
        }
        var query = QueryHelpers.ParseQuery(nsp[question..]);
        var auth = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            auth[key] = values.Count == 1 ? values[0]! : values.ToArray();
        }
        return (nsp[..question], JsonSerializer.SerializeToElement(auth, SocketIOJsonContext.Payload.DictionaryStringObject));
    }

    /// <summary>v2 clients compute socket ids themselves: the engine id on <c>/</c>, <c>nsp#engine id</c> elsewhere.</summary>
    public static string SocketId(string nsp, string engineId) => nsp == "/" ? engineId : nsp + "#" + engineId;

    /// <summary>
    /// The CONNECT_ERROR payload a v2 client expects (it emits it as an <c>error</c> event): the refusal's data
    /// when it has some, else its message as a JSON string.
    /// </summary>
    public static byte[] ConnectError(string message, JsonElement? data) => data is null
        ? JsonSerializer.SerializeToUtf8Bytes(message, SocketIOJsonContext.Payload.String)
        : JsonSerializer.SerializeToUtf8Bytes(data.Value, SocketIOJsonContext.Payload.JsonElement);
}
