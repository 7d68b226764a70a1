using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace RealtimeApp.SocketIO.EngineIO.Transports.Handoff;

/// <summary>
/// The connection's own pipes as the one duplex stream <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>
/// wants: reads through the runtime's <c>PipeReader.AsStream</c> (zero-byte reads wait for data and hold no
/// buffer), writes straight into the transport's writer. The WebSocket disposes it when it is done: after a
/// completed close handshake that only ends the pending read (the connection then closes gracefully, the close
/// frame delivered); after <c>Abort</c> (a peer that stopped reading or never answered the close) it drops the
/// connection, which also frees a write stuck on a full send buffer.
/// </summary>
internal sealed class UpgradedConnectionStream(ConnectionContext connection) : Stream
{
    private readonly IDuplexPipe _transport = connection.Transport;
    private readonly Stream _input = connection.Transport.Input.AsStream(leaveOpen: true);

    /// <summary>The WebSocket on top, set right after it is created (its state tells a close from an abort).</summary>
    public WebSocket? Socket { get; set; }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var flushed = await _transport.Output.WriteAsync(buffer, cancellationToken);
        if (flushed.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask; // every write flushes

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (Socket?.State == WebSocketState.Closed)
            {
                _transport.Input.CancelPendingRead();
            }
            else
            {
                connection.Abort(new ConnectionAbortedException("The WebSocket was aborted."));
            }
        }
        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
