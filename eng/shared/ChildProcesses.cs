using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RealtimeApp.Shared;

/// <summary>
/// What the integration tests and the bench generator both need for the servers they start (redis-server, the bench
/// servers): a port to start one on, and an end for it. Linked into each project
/// (<c>&lt;Compile Include="../../eng/shared/ChildProcesses.cs" Link="..."/&gt;</c>), so each still builds alone.
/// </summary>
internal static class ChildProcesses
{
    /// <summary>
    /// A free port below the kernel's ephemeral range (ip_local_port_range): outgoing connections' automatic binds
    /// (the tests' clients, the generator's own connections) never land there, so it stays free between this check
    /// and the server binding it, and while a server is down between a stop and a start again on the same port.
    /// </summary>
    public static int FreePort()
    {
        var ephemeralLow = 32768;
        try
        {
            ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        var lowest = Math.Clamp(ephemeralLow - 12768, 1024, 20000);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(lowest, ephemeralLow);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
        throw new InvalidOperationException($"no free port in {lowest}-{ephemeralLow - 1}");
    }

    /// <summary>Kills <paramref name="process"/> with its children, waits up to 10 s for it to go, and disposes it.</summary>
    public static void KillAndDispose(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        process.Dispose();
    }
}
