using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SocketIOClient;
using SocketIOClient.Transport;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// A SocketIOClient 3.0.6 connection to /item: requests answered through their ack, and every board
/// broadcast (item:created, item:updated, item:closed, bid:placed) recorded in arrival order.
/// </summary>
internal sealed class ItemClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static readonly string[] Broadcasts = ["item:created", "item:updated", "item:closed", "bid:placed"];

    private readonly SocketIOClient.SocketIO _socket;
    private readonly List<(string Name, JsonElement Payload)> _received = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ItemClient(SocketIOClient.SocketIO socket, string name)
    {
        _socket = socket;
        Name = name;
        foreach (var broadcast in Broadcasts)
        {
            socket.On(broadcast, response => Add(broadcast, response.GetValue(0).Clone()));
        }
    }

    public string Name { get; }

    /// <summary>The underlying client, for listeners a test adds (e.g. the server's "shutdown" event).</summary>
    public SocketIOClient.SocketIO Socket => _socket;

    /// <summary>The password every test account is registered with (the app asks for 8 characters).</summary>
    public const string Password = "correct-horse-battery";

    /// <summary>
    /// A client of <c>{address}item</c> (not connected yet), sending <paramref name="auth"/> in CONNECT and, with
    /// <paramref name="headers"/>, those on every Engine.IO request (e.g. <c>Authorization: Bearer …</c>).
    /// </summary>
    public static SocketIOClient.SocketIO Create(string address, object? auth, TransportProtocol transport,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var options = new SocketIOOptions
        {
            Auth = auth,
            Transport = transport,
            EIO = 4, // Engine.IO v4 (Socket.IO v3+)
            AutoUpgrade = false,
            Reconnection = false,
            ConnectionTimeout = Wait,
        };
        if (headers is not null)
        {
            options.ExtraHeaders = headers.ToDictionary();
        }
        return new(new Uri(new Uri(address), "item"), options);
    }

    /// <summary><c>Authorization: Bearer {token}</c>, as a script signs its Socket.IO requests.</summary>
    public static IReadOnlyDictionary<string, string> Bearer(string token) =>
        new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };

    /// <summary>
    /// A bearer token of the account <paramref name="name"/> on the app at <paramref name="address"/>:
    /// registers it (<c>POST /account/register?useCookies=false</c>), or signs in when it exists already (a
    /// restarted app, another node of the cluster).
    /// </summary>
    public static async Task<string> SignInAsync(string address, string name, string password = Password)
    {
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var body = new { userName = name, password };
        using var registered = await http.PostAsJsonAsync("account/register?useCookies=false", body);
        using var login = registered.StatusCode == HttpStatusCode.Conflict
            ? await http.PostAsJsonAsync("account/login?useCookies=false", body) : null;
        var response = login ?? registered;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {name}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// Signs <paramref name="name"/> in (<see cref="SignInAsync"/>) and connects with its bearer token: the
    /// server acts as that account. <paramref name="auth"/> is sent as the CONNECT payload (the server ignores it).
    /// </summary>
    public static async Task<ItemClient> ConnectAsync(string address, string name, TransportProtocol transport, object? auth = null) =>
        await ConnectAsync(address, name, transport, Bearer(await SignInAsync(address, name)), auth);

    /// <summary>
    /// Connects with <paramref name="headers"/> (null: anonymous) and waits for the namespace CONNECT reply
    /// (SocketIOClient's ConnectAsync returns before it, and an event emitted earlier would reach the server
    /// ahead of the CONNECT).
    /// </summary>
    public static async Task<ItemClient> ConnectAsync(string address, string name, TransportProtocol transport,
        IReadOnlyDictionary<string, string>? headers, object? auth = null)
    {
        var socket = Create(address, auth, transport, headers);
        var client = new ItemClient(socket, name);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.OnConnected += (_, _) => connected.TrySetResult();
        socket.OnError += (_, error) => connected.TrySetException(new InvalidOperationException($"{name}: {error}"));
        await socket.ConnectAsync().WaitAsync(Wait);
        await connected.Task.WaitAsync(Wait);
        return client;
    }

    /// <summary>Emits <paramref name="eventName"/> with <paramref name="data"/> and returns the ack's first argument.</summary>
    public Task<JsonElement> RequestAsync(string eventName, params object?[] data) => RequestAsync(eventName, Wait, data);

    /// <summary>As <see cref="RequestAsync(string, object?[])"/>, waiting at most <paramref name="wait"/>.</summary>
    public async Task<JsonElement> RequestAsync(string eventName, TimeSpan wait, params object?[] data)
    {
        var ack = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _socket.EmitAsync(eventName, response => ack.TrySetResult(response.GetValue(0).Clone()), data!);
        try
        {
            return await ack.Task.WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name}: no ack for {eventName} within {wait}");
        }
    }

    /// <summary>The payloads of <paramref name="broadcast"/> received so far, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Received(string broadcast)
    {
        lock (_received)
        {
            return [.. _received.Where(r => r.Name == broadcast).Select(r => r.Payload)];
        }
    }

    /// <summary>Waits (up to <see cref="Wait"/>) until a <paramref name="broadcast"/> matching <paramref name="match"/> has arrived.</summary>
    public async Task<JsonElement> WaitForAsync(string broadcast, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            Task arrived;
            lock (_received)
            {
                foreach (var (name, payload) in _received)
                {
                    if (name == broadcast && match(payload))
                    {
                        return payload;
                    }
                }
                arrived = _arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: no matching {broadcast} within {Wait}; received:\n{Dump()}");
            }
        }
    }

    /// <summary>Waits for the <paramref name="broadcast"/> of item <paramref name="id"/> at <paramref name="version"/>.</summary>
    public Task<JsonElement> WaitForAsync(string broadcast, string id, long version) =>
        WaitForAsync(broadcast, p =>
        {
            var item = broadcast == "bid:placed" ? p.GetProperty("item") : p;
            return item.GetProperty("id").GetString() == id && item.GetProperty("version").GetInt64() == version;
        });

    public string Dump()
    {
        lock (_received)
        {
            return string.Join('\n', _received.Select(r => $"{r.Name} {r.Payload.GetRawText()}"));
        }
    }

    private void Add(string name, JsonElement payload)
    {
        lock (_received)
        {
            _received.Add((name, payload));
            var arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone (server stopped): nothing to close.
        }
        _socket.Dispose();
    }
}
