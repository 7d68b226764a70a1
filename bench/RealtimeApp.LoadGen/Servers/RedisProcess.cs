using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RealtimeApp.Shared;

namespace RealtimeApp.LoadGen.Servers;

/// <summary>
/// The cluster rows' Redis: Debian's <c>redis-server</c> pinned to core 0 with the nodes (<c>taskset -c 0</c>, which
/// execs, so the pid is Redis's), on a free loopback port, nothing persisted (<c>--save "" --appendonly no</c>),
/// killed on dispose. <see cref="FlushAllAsync"/> empties it between measurements (a stream or session keys left by
/// one run must not reach the next).
/// </summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>How the nodes are told where it is (<c>--redis</c>): host:port, both clients' syntax.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Redis's own banner line with its version (for the JSON's ready lines).</summary>
    public string VersionLine { get; private set; } = "";

    public bool HasExited => _process.HasExited;

    public static async Task<RedisProcess> StartAsync()
    {
        var port = ChildProcesses.FreePort();
        var start = new ProcessStartInfo("taskset")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-c", "0", "redis-server", "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        var redis = new RedisProcess(process, port);
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("version=", StringComparison.Ordinal) && redis.VersionLine.Length == 0)
                {
                    redis.VersionLine = line[(line.IndexOf("Redis version=", StringComparison.Ordinal) is var at and >= 0 ? at : 0)..];
                }
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                    return redis;
                }
            }
            throw new InvalidOperationException($"redis-server exited before it was ready on port {port}: {(await stderr).Trim()}");
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary><c>FLUSHALL</c> over a plain RESP connection (the generator has no Redis client).</summary>
    public async Task FlushAllAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token);
        await socket.SendAsync("*1\r\n$8\r\nFLUSHALL\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
        var reply = new byte[256];
        var length = 0;
        while (length < 2 || reply[length - 1] != (byte)'\n')
        {
            var read = await socket.ReceiveAsync(reply.AsMemory(length), SocketFlags.None, timeout.Token);
            if (read == 0 || (length += read) == reply.Length)
            {
                break;
            }
        }
        var text = Encoding.ASCII.GetString(reply, 0, length).Trim();
        if (text != "+OK")
        {
            throw new InvalidOperationException($"FLUSHALL answered '{text}'");
        }
    }

    public void Dispose() => ChildProcesses.KillAndDispose(_process);
}
