using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SocketIOClient.Transport;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// The built app as a process with its own SQLite file (in a private temp folder) on 127.0.0.1:0, plus
/// an HttpClient for its bound address. <see cref="RestartAsync"/> stops it with SIGTERM and starts a new
/// process on the same file.
/// </summary>
internal sealed class ItemApp : IAsyncDisposable
{
    private readonly string _folder;

    private readonly IReadOnlyDictionary<string, string> _environment;

    private ItemApp(string folder, IReadOnlyDictionary<string, string> environment)
    {
        _folder = folder;
        _environment = environment;
    }

    public AppProcess Process { get; private set; } = null!;

    /// <summary>The bound address, ending with "/" (e.g. <c>http://127.0.0.1:41234/</c>).</summary>
    public string Address { get; private set; } = "";

    public HttpClient Http { get; private set; } = null!;

    public string DatabasePath => Path.Combine(_folder, "items.db");

    /// <param name="environment">Extra settings (e.g. a PostgreSQL store and a Redis adapter for a cluster node).</param>
    /// <param name="prepare">Called with the SQLite file's path before the app first starts (e.g. to write an older board's file).</param>
    public static async Task<ItemApp> StartAsync(IReadOnlyDictionary<string, string>? environment = null, Action<string>? prepare = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "realtimeapp-items-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        prepare?.Invoke(Path.Combine(folder, "items.db"));
        var app = new ItemApp(folder, environment ?? new Dictionary<string, string>());
        await app.LaunchAsync();
        return app;
    }

    /// <summary>SIGTERM, wait for the exit (returns its code), then a new process on the same SQLite file.</summary>
    public async Task<int> RestartAsync()
    {
        var exitCode = await Process.TerminateAsync();
        await Process.DisposeAsync();
        Http.Dispose();
        await LaunchAsync();
        return exitCode;
    }

    /// <summary>SIGKILL, then a new process on the same SQLite file; returns the killed process's exit code.</summary>
    public async Task<int> CrashAndRestartAsync()
    {
        var exitCode = await Process.KillAsync();
        await Process.DisposeAsync();
        Http.Dispose();
        await LaunchAsync();
        return exitCode;
    }

    /// <summary>
    /// A .NET SocketIOClient connected to /item as the account <paramref name="name"/> (registered on first use,
    /// signed in after; its bearer token on every request).
    /// </summary>
    public Task<ItemClient> ConnectAsync(string name, TransportProtocol transport = TransportProtocol.WebSocket) =>
        ItemClient.ConnectAsync(Address, name, transport);

    /// <summary>A client connected to /item with no credentials: it may list and watch, not create, bid or close.</summary>
    public Task<ItemClient> ConnectAnonymousAsync(string label, TransportProtocol transport = TransportProtocol.WebSocket, object? auth = null) =>
        ItemClient.ConnectAsync(Address, label, transport, headers: null, auth);

    /// <summary>
    /// An HttpClient for this app that keeps cookies, as a browser does (the container is keyed by host, not
    /// port, so it still holds them for the restarted app on its new port).
    /// </summary>
    public HttpClient NewBrowserClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = new Uri(Address) };

    /// <summary>The <c>Cookie</c> header <paramref name="cookies"/> would send to this app.</summary>
    public string CookieHeader(CookieContainer cookies) => cookies.GetCookieHeader(new Uri(Address));

    /// <summary>GET /api/items/{id}: the item, or null on 404 (any other status fails).</summary>
    public async Task<JsonElement?> GetItemAsync(string id)
    {
        using var response = await Http.GetAsync($"/api/items/{Uri.EscapeDataString(id)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>GET /api/items/{id} for an item that must exist.</summary>
    public async Task<JsonElement> GetExistingItemAsync(string id) =>
        await GetItemAsync(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/items/{id} answered 404");

    /// <summary>Every item, following GET /api/items cursors (newest first).</summary>
    public async Task<List<JsonElement>> GetAllItemsAsync()
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = "/api/items?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await Http.GetFromJsonAsync<JsonElement>(url);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            var next = page.GetProperty("nextCursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
        }
        while (cursor is not null);
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task LaunchAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Items"] = $"Data Source={Path.Combine(_folder, "items.db")}",
        };
        foreach (var (key, value) in _environment)
        {
            environment[key] = value;
        }
        var process = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"], environment);
        try
        {
            var ready = (await process.WaitForPhaseAsync("ready"))[0];
            var address = ready.GetProperty("Addresses")[0].GetString()!;
            Process = process;
            Address = address.EndsWith('/') ? address : address + "/";
            Http = new HttpClient { BaseAddress = new Uri(Address) };
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
