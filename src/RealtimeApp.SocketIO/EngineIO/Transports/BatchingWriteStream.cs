using System.Buffers;

namespace RealtimeApp.SocketIO.EngineIO.Transports;

/// <summary>
/// The upgraded connection's stream under a WebSocket, able to gather writes: between
/// <see cref="BeginBatch"/> and <see cref="EndBatchAsync"/> every frame the WebSocket writes is appended to
/// one pooled buffer, then handed to Kestrel in a single write (one flush, usually one send syscall) instead
/// of one write and flush per frame. Outside a batch, writes go straight through. Reads always do, zero-byte
/// reads included, so an idle session still holds no buffer.
/// </summary>
internal sealed class BatchingWriteStream(Stream inner) : Stream
{
    private readonly Lock _gate = new();
    private bool _batching;
    private byte[]? _buffer;
    private int _length;

    /// <summary>Gathers the writes that follow until <see cref="EndBatchAsync"/>.</summary>
    public void BeginBatch()
    {
        lock (_gate)
        {
            _batching = true;
        }
    }

    /// <summary>Writes what was gathered since <see cref="BeginBatch"/> in one go.</summary>
    public async ValueTask EndBatchAsync(CancellationToken cancellationToken = default)
    {
        byte[]? gathered;
        int length;
        lock (_gate)
        {
            _batching = false;
            gathered = _buffer;
            length = _length;
            _buffer = null;
            _length = 0;
        }
        if (gathered is null)
        {
            return;
        }
        try
        {
            await inner.WriteAsync(gathered.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_batching)
            {
                Append(buffer.Span);
                return ValueTask.CompletedTask;
            }
        }
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    // Called under _gate.
    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_buffer is null || _length + bytes.Length > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(4096, (_length + bytes.Length) * 2));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = bigger;
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
