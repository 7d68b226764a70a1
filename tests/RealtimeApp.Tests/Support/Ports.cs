using System.Net;
using System.Net.Sockets;

namespace RealtimeApp.Tests.Support;

internal static class Ports
{
    /// <summary>
    /// A port free on both loopbacks right now, for the cases Kestrel refuses port 0 (localhost binds two
    /// sockets and must give both the same port). Released before returning, so a race is possible but rare.
    /// </summary>
    public static int FreeOnBothLoopbacks()
    {
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
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
