using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// <c>Compress(false)</c> (Node's <c>compress(false)</c>) on a WebSocket that negotiated permessage-deflate: the
/// event's frame goes out with RSV1 clear (uncompressed), the others with RSV1 set. Read from a raw TCP client,
/// since WebSocket clients hide the bit.
/// </summary>
public sealed class CompressFlagTests
{
    [Fact]
    public async Task Compress_false_sends_that_event_uncompressed_and_leaves_the_others_compressed()
    {
        await using var server = await SocketIOTestServer.StartAsync(configureEngine: e => e.PerMessageDeflate = true);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
            $"Host: {server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"));
        var headers = await ReadHeadersAsync(stream);
        Assert.Contains("101", headers.Split("\r\n")[0]);
        Assert.Contains("permessage-deflate", headers, StringComparison.OrdinalIgnoreCase);

        await SendMaskedTextAsync(stream, "40");
        await server.WaitForConnectionsAsync("/", 1);
        var socket = server.Connections[^1];
        var big = new string('a', 3000);
        socket.Emit("big", big);
        socket.Compress(false).Emit("big", big);
        server.Io.Sockets.Emit("big", big);
        server.Io.Sockets.Compress(false).Emit("big", big);
        socket.Compress(false).Emit("marker"); // small and last: reading stops here

        var uncompressedBig = 0;
        var compressedFrames = 0;
        using var deadline = new CancellationTokenSource(SocketIOTestServer.Timeout);
        while (true)
        {
            var (rsv1, payload) = await ReadFrameAsync(stream, deadline.Token);
            if (rsv1)
            {
                compressedFrames++;
                continue;
            }
            var text = Encoding.UTF8.GetString(payload);
            if (text == "42[\"marker\"]")
            {
                break;
            }
            uncompressedBig += text.Contains(big, StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.Equal(2, uncompressedBig);
        Assert.True(compressedFrames >= 3, $"{compressedFrames} compressed frames: open, CONNECT reply and two events at least");
    }

    private static async Task<string> ReadHeadersAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            await stream.ReadExactlyAsync(one);
            bytes.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. bytes]);
    }

    private static async Task SendMaskedTextAsync(NetworkStream stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81; // FIN, text
        frame[1] = (byte)(0x80 | payload.Length); // masked, short length
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }
        await stream.WriteAsync(frame);
    }

    // A server frame (never masked): RSV1 says whether permessage-deflate compressed it.
    private static async Task<(bool Rsv1, byte[] Payload)> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new byte[2];
        await stream.ReadExactlyAsync(head, cancellationToken);
        long length = head[1] & 0x7F;
        if (length == 126)
        {
            var ext = new byte[2];
            await stream.ReadExactlyAsync(ext, cancellationToken);
            length = (ext[0] << 8) | ext[1];
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            await stream.ReadExactlyAsync(ext, cancellationToken);
            length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ext);
        }
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return ((head[0] & 0x40) != 0, payload);
    }
}
