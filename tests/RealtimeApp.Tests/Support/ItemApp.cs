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

    private ItemApp(string folder, AppProcess process, string address)
    {
        _folder = folder;
        Process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public AppProcess Process { get; private set; }

    /// <summary>The bound address, ending with "/" (e.g. <c>http://127.0.0.1:41234/</c>).</summary>
    public string Address { get; private set; }

    public HttpClient Http { get; private set; }

    public string DatabasePath => Path.Combine(_folder, "items.db");

    public static async Task<ItemApp> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "realtimeapp-items-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var (process, address) = await LaunchAsync(folder);
        return new ItemApp(folder, process, address);
    }

    /// <summary>SIGTERM, wait for the exit (returns its code), then a new process on the same SQLite file.</summary>
    public async Task<int> RestartAsync()
    {
        var exitCode = await Process.TerminateAsync();
        await Process.DisposeAsync();
        Http.Dispose();
        var (process, address) = await LaunchAsync(_folder);
        Process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = new Uri(address) };
        return exitCode;
    }

    /// <summary>A .NET SocketIOClient connected to /item as <paramref name="name"/>.</summary>
    public Task<ItemClient> ConnectAsync(string name, TransportProtocol transport = TransportProtocol.WebSocket) =>
        ItemClient.ConnectAsync(Address, name, transport);

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

    private static async Task<(AppProcess, string)> LaunchAsync(string folder)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Items"] = $"Data Source={Path.Combine(folder, "items.db")}",
        };
        var process = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"], environment);
        try
        {
            var ready = (await process.WaitForPhaseAsync("ready"))[0];
            var address = ready.GetProperty("Addresses")[0].GetString()!;
            return (process, address.EndsWith('/') ? address : address + "/");
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
