using System.IO.Pipelines;

namespace RealtimeApp.SocketIO.EngineIO.Transports.Handoff;

/// <summary>
/// The connection's output as Kestrel's HTTP layer sees it under a <see cref="ConnectionHandoff"/>: writes go
/// straight to the transport (the 101 response included); after the handoff the HTTP layer's completion and
/// cancellation stop here, so the connection stays open for the WebSocket.
/// </summary>
internal sealed class HandoffPipeWriter(PipeWriter transport) : PipeWriter
{
    private volatile bool _detached;

    public void Detach() => _detached = true;

    public override bool CanGetUnflushedBytes => transport.CanGetUnflushedBytes;

    public override long UnflushedBytes => transport.UnflushedBytes;

    public override void Advance(int bytes) => transport.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => transport.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => transport.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        transport.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        transport.WriteAsync(source, cancellationToken);

    public override void CancelPendingFlush()
    {
        if (!_detached)
        {
            transport.CancelPendingFlush();
        }
    }

    public override void Complete(Exception? exception = null)
    {
        if (!_detached)
        {
            transport.Complete(exception);
        }
    }
}
