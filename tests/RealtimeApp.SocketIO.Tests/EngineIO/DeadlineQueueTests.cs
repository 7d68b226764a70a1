using Microsoft.Extensions.Time.Testing;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>
/// The shared timeout queue behind heartbeats and connect timeouts: every node falls due at exactly its own
/// deadline, a re-armed or cancelled node does not fire for its old one, and a node moves between queues.
/// </summary>
public sealed class DeadlineQueueTests
{
    private sealed class Node : Deadline
    {
        public List<int> Fired { get; } = [];
        public Action? OnFire { get; set; }

        internal override void OnDue(int generation)
        {
            if (generation == Generation)
            {
                Fired.Add(generation);
                OnFire?.Invoke();
            }
        }
    }

    [Fact]
    public void Each_node_falls_due_at_its_own_deadline()
    {
        var time = new FakeTimeProvider();
        var queue = new DeadlineQueue(time, TimeSpan.FromSeconds(10));
        var first = new Node();
        var second = new Node();
        queue.Arm(first);
        time.Advance(TimeSpan.FromSeconds(3));
        queue.Arm(second);

        time.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromTicks(1));
        Assert.Empty(first.Fired);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Single(first.Fired);
        Assert.Empty(second.Fired);

        time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.Empty(second.Fired);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Single(second.Fired);
    }

    [Fact]
    public void A_rearmed_node_waits_the_full_length_again_and_a_cancelled_one_never_fires()
    {
        var time = new FakeTimeProvider();
        var queue = new DeadlineQueue(time, TimeSpan.FromSeconds(10));
        var rearmed = new Node();
        var cancelled = new Node();
        queue.Arm(rearmed);
        queue.Arm(cancelled);
        time.Advance(TimeSpan.FromSeconds(6));
        queue.Arm(rearmed);
        cancelled.Cancel();

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(rearmed.Fired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(rearmed.Fired);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(cancelled.Fired);
        Assert.Single(rearmed.Fired);
    }

    [Fact]
    public void A_node_armed_in_another_queue_from_its_callback_leaves_the_first()
    {
        var time = new FakeTimeProvider();
        var interval = new DeadlineQueue(time, TimeSpan.FromSeconds(25));
        var timeout = new DeadlineQueue(time, TimeSpan.FromSeconds(20));
        var node = new Node();
        node.OnFire = () => { if (node.Fired.Count == 1) { timeout.Arm(node); } };
        interval.Arm(node);

        time.Advance(TimeSpan.FromSeconds(25));
        Assert.Single(node.Fired);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(2, node.Fired.Count);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, node.Fired.Count);
    }

    [Fact]
    public void An_empty_queue_keeps_no_timer_armed_and_rearms_for_a_later_node()
    {
        var time = new FakeTimeProvider();
        var queue = new DeadlineQueue(time, TimeSpan.FromSeconds(1));
        var node = new Node();
        queue.Arm(node);
        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(30));
        queue.Arm(node);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, node.Fired.Count);
    }
}
