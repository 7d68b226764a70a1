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
    public async Task Inside_a_send_batch_each_outbox_is_told_once_when_the_batch_ends()
    {
        var first = new EngineOutbox(capacity: 10);
        var second = new EngineOutbox(capacity: 10);
        var signals = new int[2];
        first.SetSignal(() => signals[0]++);
        second.SetSignal(() => signals[1]++);
        var batch = new SendBatch();

        await Task.Run(() =>
        {
            batch.MakeCurrent(); // as a receive loop does
            batch.Open();
            first.TryWrite(Message(1)); // an answer
            first.TryWrite(Message(2)); // a broadcast...
            second.TryWrite(Message(2)); // ...to both
            Assert.Equal([0, 0], signals);

            batch.End();
            Assert.Equal([1, 1], signals);

            first.TryWrite(Message(3)); // after the end: told at once
            Assert.Equal([2, 1], signals);
        });

        Assert.Equal(["41", "42", "43"], TakeAll(first));
        Assert.Equal(["42"], TakeAll(second));
        second.TryWrite(Message(4)); // another flow, no batch: told at once
        Assert.Equal([2, 2], signals);
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
