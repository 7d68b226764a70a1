using System.Net;
using System.Net.Sockets;

namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// Creates the generator's TCP sockets. Each is bound to a source address rotating over 127.0.0.2–254 so that
/// many runs with many clients neither exhaust the ~28k ephemeral ports of one source address nor pile up
/// TIME_WAIT; sockets close abortively (linger 0: RST, no TIME_WAIT).
/// </summary>
internal static class ClientSockets
{
    private static readonly IPEndPoint[] Sources = Enumerable.Range(2, 253)
        .Select(last => new IPEndPoint(new IPAddress([127, 0, 0, (byte)last]), 0))
        .ToArray();

    private static int _next = Random.Shared.Next(Sources.Length);

    public static Socket Create()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            LingerState = new LingerOption(true, 0),
        };
        try
        {
            var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)Sources.Length);
            socket.Bind(Sources[index]);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
