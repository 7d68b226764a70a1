using System.IO.Pipelines;

namespace RealtimeApp.SocketIO.EngineIO.Transports.Handoff;

/// <summary>
/// The connection's input as Kestrel's HTTP layer sees it under a <see cref="ConnectionHandoff"/>: every call
/// goes to the transport's reader, so bytes the HTTP layer did not consume stay in the transport for the
/// WebSocket. After the handoff the HTTP layer's completion and cancellation stop here: they would end or
/// cancel the read the WebSocket is about to make.
/// </summary>
internal sealed class HandoffPipeReader(PipeReader transport) : PipeReader
{
    private volatile bool _detached;

    public void Detach() => _detached = true;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        transport.ReadAsync(cancellationToken);

    public override bool TryRead(out ReadResult result) => transport.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => transport.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) =>
        transport.AdvanceTo(consumed, examined);

    public override void CancelPendingRead()
    {
        if (!_detached)
        {
            transport.CancelPendingRead();
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
