using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RealtimeApp.SocketIO;

/// <summary>
/// The official client bundle (npm <c>socket.io-client</c>, embedded at build time) served next to the server,
/// as Node's <c>serveClient</c> does: <c>{path}/socket.io.js</c>, <c>.min.js</c>, the msgpack and ESM builds and
/// their source maps. The ETag is the client's version, quoted; a matching <c>If-None-Match</c> gets a 304.
/// </summary>
internal static class ClientBundle
{
    /// <summary>The files served, as Node's CLIENT_FILES.</summary>
    public static readonly string[] Files =
    [
        "socket.io.js", "socket.io.js.map", "socket.io.min.js", "socket.io.min.js.map",
        "socket.io.msgpack.min.js", "socket.io.msgpack.min.js.map", "socket.io.esm.min.js", "socket.io.esm.min.js.map",
    ];

    private static readonly Lazy<string> ClientVersion = new(() =>
    {
        using var package = Open("package.json");
        return JsonDocument.Parse(package).RootElement.GetProperty("version").GetString()!;
    });

    /// <summary>The embedded client's version (its package.json).</summary>
    public static string Version => ClientVersion.Value;

    public static async Task ServeAsync(HttpContext context, string file)
    {
        var etag = $"\"{Version}\"";
        var response = context.Response;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch == etag || ifNoneMatch == "W/" + etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.Headers.CacheControl = "public, max-age=0";
        response.Headers.ETag = etag;
        response.ContentType = file.EndsWith(".map", StringComparison.Ordinal)
            ? "application/json; charset=utf-8"
            : "application/javascript; charset=utf-8";
        await using var content = Open(file);
        response.ContentLength = content.Length;
        await content.CopyToAsync(response.Body, context.RequestAborted);
    }

    private static Stream Open(string file) =>
        typeof(ClientBundle).Assembly.GetManifestResourceStream("SocketIOClient/" + file)
        ?? throw new InvalidOperationException($"the client bundle has no {file} (see EmbedSocketIOClientBundle in the csproj)");
}
