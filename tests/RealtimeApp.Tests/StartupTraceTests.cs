using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests;

/// <summary>
/// The startup trace, end to end: the built app as a process, its CLEF log on stdout, real TCP
/// connections and a real SIGTERM. Orders are asserted per socket with the trace's sequence numbers.
/// </summary>
public sealed class StartupTraceTests
{
    private static readonly string[] HostPhases = ["run", "host-start", "server-start"];

    [Fact]
    public async Task Phases_come_once_and_in_order_for_the_bound_socket_and_match_the_server_address()
    {
        await using var app = AppProcess.StartBuiltApp("--urls", "http://127.0.0.1:0");
        var ready = (await app.WaitForPhaseAsync("ready"))[0];
        await app.WaitForPhaseAsync("serve"); // serve may come after ready: Kestrel queues the accept loop
        var phases = app.Phases;

        // 1-3: host-level phases once each, in the report's order, all before the bind.
        var hostSequence = HostPhases.Select(p => phases.Single(p).Sequence()).ToArray();
        Assert.Equal(hostSequence.Order(), hostSequence);

        // 4-6: exactly one socket for 127.0.0.1, bound before it listens, listening before it serves.
        var bindEvent = Assert.Single(phases, e => e.Phase() == "bind");
        var endpoint = bindEvent.Endpoint()!;
        var (bind, listen, _) = phases.AssertSocketSequence(endpoint);
        Assert.True(hostSequence[^1] < bind.Sequence());
        Assert.Equal("InterNetwork", bind.GetProperty("AddressFamily").GetString());
        Assert.Equal("127.0.0.1:0", bind.GetProperty("RequestedEndPoint").GetString());
        Assert.Equal(512, listen.GetProperty("Backlog").GetInt32());

        // 7: ready after every listen (serve vs ready is deliberately not asserted: Kestrel gives no order).
        Assert.True(listen.Sequence() < ready.Sequence());

        // The logged endpoint is the server's own address feature, as Kestrel reports it.
        var listening = app.Events.Single(e => e.GetProperty("@mt").GetString() == "Now listening on: {address}");
        Assert.Equal($"http://{endpoint}", listening.GetProperty("address").GetString());
        Assert.Equal($"http://{endpoint}", Assert.Single(ready.GetProperty("Addresses").EnumerateArray()).GetString());

        // A real TCP connection is accepted, and the trace logged that very connection.
        var port = int.Parse(endpoint.Split(':')[1]);
        using (var client = new TcpClient(AddressFamily.InterNetwork))
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            var accept = (await app.WaitForPhaseAsync("first-accept"))[0];
            Assert.Equal(endpoint, accept.Endpoint());
            Assert.Equal(client.Client.LocalEndPoint!.ToString(), accept.GetProperty("RemoteEndPoint").GetString());
        }

        // /debug/startup is the same trace: same phases, same order, same endpoints, same timings.
        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}") };
        var json = await http.GetFromJsonAsync<JsonElement>("/debug/startup");
        var fromPage = json.GetProperty("phases").EnumerateArray()
            .Select(p => (p.GetProperty("sequence").GetInt64(), p.GetProperty("phase").GetString(),
                p.GetProperty("endpoint").GetString(), Math.Round(p.GetProperty("elapsedMs").GetDouble(), 3)))
            .ToArray();
        var fromLog = app.Phases
            .Select(e => (e.Sequence(), (string?)e.Phase(), e.Endpoint(), e.GetProperty("ElapsedMs").GetDouble()))
            .ToArray();
        Assert.Equal(fromLog, fromPage[..fromLog.Length]);
        Assert.Equal(7, json.GetProperty("stepCount").GetInt32());

        // SIGTERM: stopping, then the listener is unbound and its accept loop ends, then stopped; exit 0.
        Assert.Equal(0, await app.TerminateAsync());
        var stops = app.Phases;
        var stopping = stops.Single("stopping").Sequence();
        var unbind = stops.Single("unbind", endpoint).Sequence();
        var loopEnded = stops.Single("accept-loop-ended", endpoint).Sequence();
        var stopped = stops.Single("stopped").Sequence();
        Assert.True(stopping < unbind && unbind < loopEnded && loopEnded < stopped,
            $"stopping {stopping} < unbind {unbind} < accept-loop-ended {loopEnded} < stopped {stopped}");

        using var after = new TcpClient(AddressFamily.InterNetwork);
        await Assert.ThrowsAsync<SocketException>(() => after.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task Localhost_binds_one_socket_per_loopback_each_with_its_own_bind_listen_serve()
    {
        var port = Ports.FreeOnBothLoopbacks();
        await using var app = AppProcess.StartBuiltApp("--urls", $"http://localhost:{port}");
        await app.WaitForPhaseAsync("ready");
        await app.WaitForPhaseAsync("serve", Ports.HasIPv6Loopback() ? 2 : 1);
        var phases = app.Phases;

        string[] expected = Ports.HasIPv6Loopback() ? [$"127.0.0.1:{port}", $"[::1]:{port}"] : [$"127.0.0.1:{port}"];
        Assert.Equal(expected.Order(), phases.Where(e => e.Phase() == "bind").Select(e => e.Endpoint()!).Order());
        var ready = phases.Single("ready");
        foreach (var endpoint in expected)
        {
            var (_, listen, _) = phases.AssertSocketSequence(endpoint);
            Assert.True(listen.Sequence() < ready.Sequence(), $"ready after listen on {endpoint}");
        }

        // One address string for the two sockets, as Kestrel's address feature reports it.
        Assert.Equal($"http://localhost:{port}", Assert.Single(ready.GetProperty("Addresses").EnumerateArray()).GetString());
        Assert.Equal(expected.Length, ready.GetProperty("ListeningSockets").GetInt32());
    }

    [Fact]
    public async Task Wildcard_host_binds_a_single_dual_mode_IPv6_socket()
    {
        var port = Ports.FreeOnBothLoopbacks();
        await using var app = AppProcess.StartBuiltApp("--urls", $"http://*:{port}");
        await app.WaitForPhaseAsync("ready");
        await app.WaitForPhaseAsync("serve");

        // Kestrel binds [::] in dual mode; only where IPv6 is off does it fall back to 0.0.0.0.
        var bind = Assert.Single(app.Phases, e => e.Phase() == "bind");
        if (Ports.HasIPv6Loopback())
        {
            Assert.Equal($"[::]:{port}", bind.Endpoint());
            Assert.True(bind.GetProperty("DualMode").GetBoolean());
        }
        else
        {
            Assert.Equal($"0.0.0.0:{port}", bind.Endpoint());
        }
        app.Phases.AssertSocketSequence(bind.Endpoint()!);

        // Either way an IPv4 client reaches it.
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port);
    }

    [Fact]
    public async Task A_port_already_in_use_gives_one_clear_error_and_a_nonzero_exit_without_a_stack_trace()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var app = AppProcess.StartBuiltApp("--urls", $"http://127.0.0.1:{port}");
        var exitCode = await app.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        var failed = app.Phases.Single("bind-failed", $"127.0.0.1:{port}");
        Assert.Equal("AddressAlreadyInUse", failed.GetProperty("SocketError").GetString());
        Assert.Equal("Error", failed.GetProperty("@l").GetString());
        Assert.DoesNotContain(app.Phases, e => e.Phase() is "listen" or "serve" or "ready");
        var fatal = Assert.Single(app.Events, e => e.TryGetProperty("@l", out var l) && l.GetString() == "Fatal");
        Assert.Equal($"Failed to bind to address http://127.0.0.1:{port}: address already in use.",
            fatal.GetProperty("Reason").GetString());
        Assert.DoesNotContain(app.Lines, line => line.Contains("   at ") || line.Contains("\"@x\""));
    }

    [Fact]
    public async Task Console_output_is_readable_text_unless_json_is_asked_for()
    {
        var environment = new Dictionary<string, string> { ["Logging__Format"] = "text" };
        await using var app = AppProcess.Start(Paths.AppDirectory,
            Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"), ["--urls", "http://127.0.0.1:0"], environment);
        var bindLine = await app.WaitForAsync(
            a => a.Lines.FirstOrDefault(l => l.Contains("Startup bind [4/7] 127.0.0.1:")), "a text bind line");

        Assert.DoesNotContain("{", bindLine.Split(']')[0]);
        Assert.Contains("Python TCPServer.server_bind -> socket.bind", bindLine);
        Assert.Empty(app.Events);
    }
}
