using System.Net;
using System.Net.Sockets;

namespace RealtimeApp.Tests.Support;

internal static class Ports
{
    /// <summary>
    /// A port free on both loopbacks right now, for the cases Kestrel refuses port 0 (localhost binds two
    /// sockets and must give both the same port). Released before returning; it is chosen below the kernel's
    /// ephemeral range (ip_local_port_range), so no outgoing connection's automatic bind can take it before
    /// the caller binds it.
    /// </summary>
    public static int FreeOnBothLoopbacks()
    {
        var ephemeralLow = EphemeralRangeStart();
        var lowest = Math.Clamp(ephemeralLow - 12768, 1024, 20000);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(lowest, ephemeralLow);
            if (IsFreeOnBothLoopbacks(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free port in {lowest}-{ephemeralLow - 1}");
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32768; // Linux's default
        }
    }

    private static bool IsFreeOnBothLoopbacks(int port)
    {
        try
        {
            // As the original check: all interfaces, IPv4 and IPv6 (a dual-mode socket on [::]).
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether this machine can bind the IPv6 loopback (Kestrel skips [::1] for localhost if not).</summary>
    public static bool HasIPv6Loopback()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
