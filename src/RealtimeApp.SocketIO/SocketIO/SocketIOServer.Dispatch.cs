using System.Diagnostics;
using RealtimeApp.SocketIO.Diagnostics;

namespace RealtimeApp.SocketIO;

// An incoming event's way through the app's code (Node's Socket#onevent and #dispatch): catch-all listeners,
// packet middlewares, named listeners; failures logged, limit refusals and other refusals to the app's hook.
public sealed partial class SocketIOServer
{
    /// <summary>
    /// Runs an event's catch-all listeners, then its middlewares, then the listeners of its name (Node's order),
    /// and disposes the event's DI scope once all of them have finished. The caller has counted the event with
    /// <see cref="TryBeginWork"/>; this ends that count when the last handler is done.
    /// </summary>
    /// <remarks>
    /// The event's activity (when something listens) is current while the handlers run, so what they do
    /// nests under it, and ends when the last one has finished; the HTTP request's activity is put back for
    /// the receive loop as soon as the handlers' synchronous part is over. Without middlewares the named
    /// listeners start at once, in the receive loop's turn; with them, once the chain has passed.
    /// </remarks>
    internal void Dispatch(SocketEvent args, Func<SocketEvent, Task>[] any, Func<SocketEvent, Func<Task>, Task>[] middlewares)
    {
        Activity? activity = null, carrier = null;
        if (SocketIOTracing.IsEnabled)
        {
            activity = SocketIOTracing.StartEvent(args.Socket.Namespace.Name, args.Name, args.Socket.Id, args.Ack is not null, out carrier);
        }
        List<Task>? pending = null;
        foreach (var handler in any)
        {
            if (Start(new SocketContext.EventListener(args.Name, handler), args, activity) is { } task)
            {
                (pending ??= []).Add(task);
            }
        }
        if (middlewares.Length > 0)
        {
            // Synchronous middlewares and listeners leave a completed task: nothing to wait for then.
            if (RunThroughMiddlewaresAsync(args, middlewares, activity) is { IsCompletedSuccessfully: false } chain)
            {
                (pending ??= []).Add(chain);
            }
        }
        else
        {
            foreach (var listener in args.Socket.ListenersFor(args.Name))
            {
                if (Start(listener, args, activity) is { } task)
                {
                    (pending ??= []).Add(task);
                }
            }
        }
        if (pending is not null)
        {
            _ = FinishAsync(pending, args, activity);
        }
        if (activity is not null)
        {
            if (pending is null)
            {
                activity.Stop();
            }
            Activity.Current = carrier;
        }
        if (pending is null)
        {
            _ = args.DisposeScopeAsync();
            EndWork(); // last, so a drain that sees zero running sees this event finished
        }
    }

    // The listeners of the event's name are read once the chain has passed (Node emits then), and only to a
    // socket still connected (Node: "ignore packet received after disconnection"). Never throws.
    private async Task RunThroughMiddlewaresAsync(SocketEvent args, Func<SocketEvent, Func<Task>, Task>[] middlewares, Activity? activity)
    {
        if (!await args.Socket.RunMiddlewaresAsync(args, middlewares) || !args.Socket.Connected)
        {
            return;
        }
        List<Task>? pending = null;
        foreach (var listener in args.Socket.ListenersFor(args.Name))
        {
            if (Start(listener, args, activity) is { } task)
            {
                (pending ??= []).Add(task);
            }
        }
        foreach (var task in pending ?? [])
        {
            try
            {
                await task;
            }
            catch (Exception ex)
            {
                HandlerFailed(args, ex, activity);
            }
        }
    }

    private async Task FinishAsync(List<Task> pending, SocketEvent args, Activity? activity)
    {
        try
        {
            foreach (var task in pending)
            {
                try
                {
                    await task;
                }
                catch (Exception ex)
                {
                    HandlerFailed(args, ex, activity);
                }
            }
            await args.DisposeScopeAsync();
        }
        finally
        {
            activity?.Stop();
            EndWork();
        }
    }

    // A limit refusal is an answer, not a bug: it goes to the app's refusal hook (with the ack when the client
    // asked for one and the handler had not answered yet); anything else is logged as the handler's failure. The trace records
    // both: the handler did throw.
    private void HandlerFailed(SocketEvent args, Exception ex, Activity? activity)
    {
        SocketIOTracing.RecordException(activity, ex);
        if (ex is SocketIOLimitExceededException limit)
        {
            Log.LimitExceeded(args.Socket.Id, limit.Limit, limit.Message);
            Refuse(args.Socket, args.Name, args.Ack is { IsSent: false } ack ? ack : null, SocketRefusalCodes.LimitExceeded, limit.Message, limit);
            return;
        }
        Log.HandlerFailed(args.Socket.Id, ex);
    }

    /// <summary>
    /// Hands an event the library turned away to <see cref="SocketIOOptions.OnRefusal"/>; without one nothing
    /// is answered (Node never answers an ack for the app). A failing hook costs a log line.
    /// </summary>
    internal void Refuse(SocketContext socket, string eventName, SocketAck? ack, string code, string message, Exception? exception)
    {
        if (Options.OnRefusal is { } hook)
        {
            Invoke(() => hook(new SocketRefusal(socket, eventName, ack, code, message, exception)), socket);
        }
    }

    /// <returns>The handler's task when it has not finished yet; null when it is done (or failed, logged).</returns>
    private Task? Start(SocketContext.EventListener listener, SocketEvent args, Activity? activity)
    {
        try
        {
            var task = listener.InvokeAsync(args);
            return task.IsCompletedSuccessfully ? null : task;
        }
        catch (Exception ex)
        {
            HandlerFailed(args, ex, activity);
            return null;
        }
    }
}
