using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>State shared by the clients of one polling-handshake measurement.</summary>
internal sealed class PollingRun
{
    private LatencyHistogram _histogram = new();

    public LatencyHistogram Histogram
    {
        get => Volatile.Read(ref _histogram);
        set => Volatile.Write(ref _histogram, value);
    }

    public volatile bool Stopping;

    public LossCounter Errors { get; } = new("request errors");
}

/// <summary>
/// One HTTP/1.1 keep-alive connection in a closed loop: one GET in flight, the response parsed in place
/// (status 200, Content-Length, and for Engine.IO a body starting with the open packet <c>0{</c>), then the next
/// GET. A broken connection is counted and replaced.
/// </summary>
internal sealed class PollingClient(IPEndPoint server, string path, bool expectOpenPacket, PollingRun run)
{
    private const int MaxErrorsPerClient = 100; // then give up rather than spin on a broken endpoint

    private readonly byte[] _request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {server.Address}:{server.Port}\r\n\r\n");
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;
    private int _end;
    private long _completed;

    public long Completed => Volatile.Read(ref _completed);

    public async Task RunAsync()
    {
        var errors = 0;
        while (!run.Stopping && errors < MaxErrorsPerClient)
        {
            try
            {
                _socket = ClientSockets.Create();
                _end = 0;
                await _socket.ConnectAsync(server);
                while (!run.Stopping)
                {
                    var sentAt = Stopwatch.GetTimestamp();
                    _socket.Send(_request);
                    while (!TryTakeResponse())
                    {
                        if (_end == _buffer.Length)
                        {
                            throw new InvalidDataException("response larger than the receive buffer");
                        }
                        var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
                        if (received == 0)
                        {
                            throw new IOException("server closed the keep-alive connection");
                        }
                        _end += received;
                    }
                    run.Histogram.RecordTicks(Stopwatch.GetTimestamp() - sentAt);
                    Volatile.Write(ref _completed, _completed + 1);
                }
            }
            catch (Exception e) when (!run.Stopping)
            {
                errors++;
                run.Errors.OnLost($"{e.GetType().Name}: {e.Message}");
            }
            catch (Exception)
            {
                // Stopping: the socket was closed under a pending read.
            }
            finally
            {
                _socket?.Dispose();
            }
        }
    }

    /// <summary>Closing the socket ends a pending read at once.</summary>
    public void Stop() => _socket?.Dispose();

    private bool TryTakeResponse()
    {
        var data = _buffer.AsSpan(0, _end);
        var headEnd = data.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
        }
        var head = data[..headEnd];
        if (!head.StartsWith("HTTP/1.1 200"u8))
        {
            throw new InvalidDataException($"unexpected response: {Encoding.ASCII.GetString(head[..Math.Max(0, head.IndexOf("\r\n"u8))])}");
        }
        var total = headEnd + 4 + ContentLength(head);
        if (_end < total)
        {
            return false;
        }
        if (expectOpenPacket && !data[(headEnd + 4)..].StartsWith("0{"u8))
        {
            throw new InvalidDataException("handshake body is not an engine.io open packet");
        }
        data[total..].CopyTo(_buffer); // nothing, unless the server sent more than asked
        _end -= total;
        return true;
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        const string name = "content-length:";
        while (head.IndexOf("\r\n"u8) is var lineEnd && lineEnd >= 0)
        {
            head = head[(lineEnd + 2)..];
            var line = head.IndexOf("\r\n"u8) is var next && next >= 0 ? head[..next] : head;
            if (line.Length > name.Length && System.Text.Ascii.EqualsIgnoreCase(line[..name.Length], name)
                && Utf8Parser.TryParse(line[name.Length..].TrimStart((byte)' '), out int length, out _))
            {
                return length;
            }
        }
        throw new InvalidDataException("response without Content-Length");
    }
}
