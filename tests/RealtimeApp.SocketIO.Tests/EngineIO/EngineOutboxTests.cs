using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>The session outbox: order, bound, batches, and a reader that is never left waiting by mistake.</summary>
public sealed class EngineOutboxTests
{
    private static EnginePacket Message(int n) => EnginePacket.Message(n.ToString());

    private static List<string> TakeAll(EngineOutbox outbox)
    {
        var count = outbox.TakeAll(out var batch);
        var taken = batch.Take(count).Select(p => System.Text.Encoding.UTF8.GetString(p.Frame.Span)).ToList();
        EngineOutbox.Return(batch);
        return taken;
    }

    [Fact]
    public void Packets_come_out_in_order_across_ring_growth_and_wrap_around()
    {
        var outbox = new EngineOutbox(capacity: 100);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(outbox.TryWrite(Message(i)));
        }
        Assert.True(outbox.TryRead(out var first));
        Assert.Equal("40", System.Text.Encoding.UTF8.GetString(first.Frame.Span));
        for (var i = 3; i < 20; i++) // wraps the 4-slot ring, then grows it twice
        {
            Assert.True(outbox.TryWrite(Message(i)));
        }

        Assert.Equal(Enumerable.Range(1, 19).Select(i => "4" + i), TakeAll(outbox));
        Assert.Equal(0, outbox.Count);
        Assert.Empty(TakeAll(outbox));
    }

    [Fact]
    public void A_full_outbox_refuses_the_next_packet_and_takes_again_once_read()
    {
        var outbox = new EngineOutbox(capacity: 3);
        Assert.True(outbox.TryWrite(Message(1)));
        Assert.True(outbox.TryWrite(Message(2)));
        Assert.True(outbox.TryWrite(Message(3)));

        Assert.False(outbox.TryWrite(Message(4)));
        Assert.Equal(3, outbox.Count);

        Assert.True(outbox.TryRead(out _));
        Assert.True(outbox.TryWrite(Message(4)));
        Assert.Equal(["42", "43", "44"], TakeAll(outbox));
    }

    [Fact]
    public async Task A_waiting_reader_wakes_on_write_and_not_before()
    {
        var outbox = new EngineOutbox(capacity: 10);
        var wait = outbox.WaitAsync();
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);

        outbox.TryWrite(Message(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(outbox.WaitAsync().IsCompleted); // something is queued: no wait at all
    }

    [Fact]
    public async Task A_wake_with_no_reader_waiting_is_kept_for_the_next_wait_once()
    {
        var outbox = new EngineOutbox(capacity: 10);

        outbox.Wake(); // e.g. a poll released between its checks and its wait

        Assert.True(outbox.WaitAsync().IsCompleted);
        var next = outbox.WaitAsync();
        Assert.False(next.IsCompleted);
        outbox.Wake();
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Complete_refuses_writes_wakes_the_reader_and_is_done_once_drained()
    {
        var outbox = new EngineOutbox(capacity: 10);
        outbox.TryWrite(Message(1));
        var wait = Task.Run(async () =>
        {
            TakeAll(outbox);
            await outbox.WaitAsync();
        });
        await Task.Delay(50);

        outbox.Complete();

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(outbox.TryWrite(Message(2)));
        Assert.True(outbox.IsCompleted);
    }

    [Fact]
    public void A_completed_outbox_with_packets_left_is_not_done_until_they_are_taken()
    {
        var outbox = new EngineOutbox(capacity: 10);
        outbox.TryWrite(Message(1));
        outbox.Complete();

        Assert.False(outbox.IsCompleted);
        Assert.Equal(["41"], TakeAll(outbox));
        Assert.True(outbox.IsCompleted);
    }

    [Fact]
    public void A_signalled_reader_is_told_of_each_packet_but_only_once_per_hold()
    {
        var outbox = new EngineOutbox(capacity: 10);
        var signals = 0;
        outbox.SetSignal(() => signals++);

        outbox.TryWrite(Message(1));
        Assert.Equal(1, signals);

        outbox.Hold(); // the receive loop is answering messages that already arrived
        outbox.TryWrite(Message(2));
        outbox.TryWrite(Message(3));
        Assert.Equal(1, signals);

        outbox.ReleaseHold();
        Assert.Equal(2, signals);
        Assert.Equal(["41", "42", "43"], TakeAll(outbox));

        outbox.Hold();
        outbox.ReleaseHold(); // nothing queued meanwhile: nothing to tell
        Assert.Equal(2, signals);
    }

    [Fact]
    public void Clearing_a_signal_that_was_replaced_keeps_the_newer_reader()
    {
        var outbox = new EngineOutbox(capacity: 10);
        var first = 0;
        var second = 0;
        Action firstSignal = () => first++;
        outbox.SetSignal(firstSignal);
        outbox.SetSignal(() => second++); // e.g. an upgrade: the WebSocket became the reader

        outbox.ClearSignal(firstSignal); // the old reader stops late
        outbox.TryWrite(Message(1));
        outbox.Complete();

        Assert.Equal(0, first);
        Assert.Equal(2, second); // the packet, then the completion
    }
}
