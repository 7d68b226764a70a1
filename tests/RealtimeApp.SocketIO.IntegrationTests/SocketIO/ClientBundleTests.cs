using System.Net;
using System.Reflection;
using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// ServeClient: the official client bundle from npm at /socket.io/socket.io.js and friends, byte for byte,
/// with Node's caching headers (quoted version ETag, 304 on If-None-Match, max-age=0); off, the path is
/// Engine.IO's again.
/// </summary>
public sealed class ClientBundleTests
{
    // The npm package the library embeds (src/RealtimeApp.SocketIO/client), as the build saw it.
    private static readonly string NpmPackage = typeof(ClientBundleTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ClientBundlePackageDirectory").Value!;

    [Theory]
    [InlineData("socket.io.js", "application/javascript")]
    [InlineData("socket.io.min.js", "application/javascript")]
    [InlineData("socket.io.min.js.map", "application/json")]
    [InlineData("socket.io.msgpack.min.js", "application/javascript")]
    [InlineData("socket.io.esm.min.js", "application/javascript")]
    public async Task Each_bundle_file_is_the_npm_file_with_a_version_etag(string file, string mediaType)
    {
        await using var app = await StartAsync(serveClient: true);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var response = await http.GetAsync($"/socket.io/{file}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(NpmPackage, "dist", file)), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{NpmVersion()}\"", response.Headers.ETag?.ToString());
        Assert.Equal("public, max-age=0", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("\"{0}\"")]
    [InlineData("W/\"{0}\"")]
    public async Task A_matching_if_none_match_gets_304_without_a_body(string format)
    {
        await using var app = await StartAsync(serveClient: true);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/socket.io.min.js");
        request.Headers.TryAddWithoutValidation("If-None-Match", string.Format(format, NpmVersion()));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task With_ServeClient_off_the_path_is_engine_io_and_refuses_as_an_unknown_transport()
    {
        await using var app = await StartAsync(serveClient: false);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var response = await http.GetAsync("/socket.io/socket.io.js");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"code":0,"message":"Transport unknown"}""", await response.Content.ReadAsStringAsync());
    }

    private static string NpmVersion()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(NpmPackage, "package.json")));
        return package.RootElement.GetProperty("version").GetString()!;
    }

    private static Task<SocketIOTestServer> StartAsync(bool serveClient) =>
        SocketIOTestServer.StartAsync(configure: o => o.ServeClient = serveClient);
}
