using System.Diagnostics;
using static RealtimeApp.SocketIO.Diagnostics.SocketIOActivities;

namespace RealtimeApp.SocketIO.Diagnostics;

/// <summary>
/// Starts the activities described in <see cref="SocketIOActivities"/>. A leaf every layer may call (it knows
/// no EngineIO or SocketIO type: it takes strings and numbers). The hot path's rule: every <c>Start*</c> first
/// asks <see cref="ActivitySource.HasListeners"/> and returns null having allocated nothing (no tag list, no
/// display name, no boxing, no closure) when nobody listens; the callers only pass values they already hold.
/// Callers whose arguments cost something to compute (a remote address string) ask <see cref="IsEnabled"/> first.
/// </summary>
internal static class SocketIOTracing
{
    public static readonly ActivitySource Source =
        new(SourceName, typeof(SocketIOTracing).Assembly.GetName().Version?.ToString());

    /// <summary>True when a listener is attached (a sampler may still decline each activity).</summary>
    public static bool IsEnabled => Source.HasListeners();

    public static Activity? StartConnectionOpen(string sid, string transport, int protocol, string? clientAddress)
    {
        if (!Source.HasListeners() || Source.CreateActivity(ConnectionOpen, ActivityKind.Internal) is not { } activity)
        {
            return null;
        }
        activity.DisplayName = "open " + transport;
        activity.SetTag(Tags.SessionId, sid);
        activity.SetTag(Tags.Transport, transport);
        activity.SetTag(Tags.Protocol, protocol);
        activity.SetTag(Tags.ClientAddress, clientAddress);
        return activity.Start();
    }

    /// <summary>
    /// A namespace join, detached from the current activity (see <see cref="StartDetached"/>). Called at the top
    /// of an async method, so the change of <see cref="Activity.Current"/> never reaches its caller.
    /// </summary>
    public static Activity? StartNamespaceConnect(string ns, string sid)
    {
        if (!Source.HasListeners() || StartDetached(NamespaceConnect, ActivityKind.Server, out _) is not { } activity)
        {
            return null;
        }
        activity.DisplayName = "connect " + ns;
        activity.SetTag(Tags.Namespace, ns);
        activity.SetTag(Tags.SessionId, sid);
        return activity;
    }

    public static void ConnectAccepted(Activity? activity, string socketId)
    {
        if (activity is not null)
        {
            activity.SetTag(Tags.SocketId, socketId);
            activity.SetTag(Tags.ConnectResult, "accepted");
        }
    }

    /// <summary>A refused join is the server answering, not failing: the status stays unset, the reason is a tag.</summary>
    public static void ConnectRefused(Activity? activity, string? socketId, string reason)
    {
        if (activity is not null)
        {
            activity.SetTag(Tags.SocketId, socketId);
            activity.SetTag(Tags.ConnectResult, "refused");
            activity.SetTag(Tags.ConnectRefusal, reason);
        }
    }

    /// <summary>
    /// An event's handlers, detached from the current activity. When an activity is returned it is current; the
    /// caller puts <paramref name="carrier"/> back once its synchronous part is over (the receive loop goes on
    /// under the HTTP request's activity). Null when nothing listens, or the sampler declined (then nothing changed).
    /// </summary>
    public static Activity? StartEvent(string ns, string eventName, string socketId, bool ackRequested, out Activity? carrier)
    {
        carrier = null;
        if (!Source.HasListeners() || StartDetached(EventIn, ActivityKind.Server, out carrier) is not { } activity)
        {
            return null;
        }
        activity.DisplayName = $"event {ns} {eventName}";
        activity.SetTag(Tags.Namespace, ns);
        activity.SetTag(Tags.Event, eventName);
        activity.SetTag(Tags.SocketId, socketId);
        activity.SetTag(Tags.AckRequested, ackRequested);
        return activity;
    }

    /// <summary>A server-sent ack, under the current activity (e.g. the handler that asks).</summary>
    public static Activity? StartAckOut(string ns, string eventName, string socketId)
    {
        if (!Source.HasListeners() || Source.CreateActivity(AckOut, ActivityKind.Client) is not { } activity)
        {
            return null;
        }
        activity.DisplayName = $"emitWithAck {ns} {eventName}";
        activity.SetTag(Tags.Namespace, ns);
        activity.SetTag(Tags.Event, eventName);
        activity.SetTag(Tags.SocketId, socketId);
        return activity.Start();
    }

    /// <summary>A broadcast, under the current activity; the caller adds <see cref="Recipients"/> once it is sent.</summary>
    public static Activity? StartBroadcast(string ns, string eventName, IReadOnlySet<string> rooms, IReadOnlySet<string> except)
    {
        if (!Source.HasListeners() || Source.CreateActivity(Broadcast, ActivityKind.Producer) is not { } activity)
        {
            return null;
        }
        activity.DisplayName = $"broadcast {ns} {eventName}";
        activity.SetTag(Tags.Namespace, ns);
        activity.SetTag(Tags.Event, eventName);
        if (rooms.Count > 0)
        {
            activity.SetTag(Tags.Rooms, rooms.Order(StringComparer.Ordinal).ToArray());
        }
        if (except.Count > 0)
        {
            activity.SetTag(Tags.ExceptRooms, except.Order(StringComparer.Ordinal).ToArray());
        }
        return activity.Start();
    }

    public static void Recipients(Activity? activity, int count) => activity?.SetTag(Tags.Recipients, count);

    /// <summary><c>answered</c>, <c>timeout</c> or <c>canceled</c>; anything but answered is an error of the activity.</summary>
    public static void AckOutcome(Activity? activity, string outcome, Exception? failure = null)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag(Tags.AckOutcome, outcome);
        if (failure is not null)
        {
            RecordException(activity, failure);
        }
    }

    /// <summary>Status Error, <c>error.type</c> and the OpenTelemetry <c>exception</c> event (type, message, stack).</summary>
    public static void RecordException(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag(Tags.ErrorType, exception.GetType().FullName);
        activity.AddException(exception);
    }

    /// <summary>
    /// Records <paramref name="exception"/> on the current activity when it is one of the library's (application
    /// code run inside a join or an event, e.g. a connection listener). Called on failure paths only.
    /// </summary>
    public static void RecordOnCurrent(Exception exception)
    {
        if (Activity.Current is { } current && current.Source == Source)
        {
            RecordException(current, exception);
        }
    }

    /// <summary>For exception filters: records and returns false, so the exception goes on unchanged.</summary>
    public static bool RecordAndRethrow(Activity? activity, Exception exception)
    {
        RecordException(activity, exception);
        return false;
    }

    /// <summary>
    /// Starts <paramref name="name"/> with no parent and a link to the activity that was current (the HTTP request
    /// that carried the packet), as SignalR starts hub invocations: <see cref="Activity.Current"/> must be null
    /// while it is created, or the source would take the current one as the parent. When an activity is returned
    /// it is current; otherwise <see cref="Activity.Current"/> is back to <paramref name="carrier"/>.
    /// </summary>
    private static Activity? StartDetached(string name, ActivityKind kind, out Activity? carrier)
    {
        carrier = Activity.Current;
        if (carrier is null)
        {
            return Source.StartActivity(name, kind);
        }
        Activity.Current = null;
        var activity = Source.StartActivity(name, kind, default(ActivityContext), links: [new ActivityLink(carrier.Context)]);
        if (activity is null)
        {
            Activity.Current = carrier;
        }
        return activity;
    }
}
