using System.Diagnostics;
using RealtimeApp.SocketIO.Diagnostics;

namespace RealtimeApp.SocketIO.Tests.Diagnostics;

/// <summary>
/// The tracing helpers' contract with the hot path: nothing created and not one byte allocated when nobody
/// listens; detached event activities that leave <see cref="Activity.Current"/> as they found it for the
/// caller to restore. This class is the only one of this test process that attaches a listener to the
/// library's source, and xunit runs its tests one after the other.
/// </summary>
public sealed class SocketIOTracingTests
{
    private static readonly IReadOnlySet<string> Rooms = new HashSet<string> { "room" };
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    [Fact]
    public void Without_a_listener_no_activity_is_started_and_nothing_is_allocated()
    {
        Assert.False(SocketIOTracing.Source.HasListeners());
        StartEach(); // JIT and static initialisation outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = StartEach();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, started);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void An_event_activity_has_no_parent_links_the_request_and_hands_the_request_back()
    {
        using var listener = Listen(ActivitySamplingResult.AllDataAndRecorded);
        using var request = new Activity("request").Start();

        var activity = SocketIOTracing.StartEvent("/item", "item:list", "socket1", ackRequested: true, out var carrier);

        Assert.NotNull(activity);
        Assert.Same(activity, Activity.Current);
        Assert.Same(request, carrier);
        Assert.Null(activity.Parent);
        Assert.Null(activity.ParentId);
        Assert.Equal(request.Context, Assert.Single(activity.Links).Context);
        Assert.Equal("event /item item:list", activity.DisplayName);
        activity.Stop();
        Activity.Current = carrier;
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public void A_declined_event_activity_leaves_the_current_activity_alone()
    {
        using var listener = Listen(ActivitySamplingResult.None);
        using var request = new Activity("request").Start();

        Assert.Null(SocketIOTracing.StartEvent("/item", "item:list", "socket1", ackRequested: false, out _));
        Assert.Same(request, Activity.Current);
    }

    private static int StartEach()
    {
        var started = 0;
        started += SocketIOTracing.StartConnectionOpen("sid", "websocket", 4, "127.0.0.1") is null ? 0 : 1;
        started += SocketIOTracing.StartNamespaceConnect("/item", "sid") is null ? 0 : 1;
        started += SocketIOTracing.StartEvent("/item", "item:list", "socket1", ackRequested: true, out _) is null ? 0 : 1;
        started += SocketIOTracing.StartAckOut("/item", "question", "socket1") is null ? 0 : 1;
        started += SocketIOTracing.StartBroadcast("/item", "bid:placed", Rooms, None) is null ? 0 : 1;
        SocketIOTracing.Recipients(null, 5000);
        SocketIOTracing.AckOutcome(null, "answered");
        return started;
    }

    private static ActivityListener Listen(ActivitySamplingResult result)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SocketIOActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => result,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
