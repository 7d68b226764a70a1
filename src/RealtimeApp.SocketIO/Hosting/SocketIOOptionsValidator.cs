using Microsoft.Extensions.Configuration;
using RealtimeApp.SocketIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>The limits <see cref="SocketIOOptions"/> must keep for the server to honour them (timers, sizes, limits).</summary>
internal sealed class SocketIOOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<SocketIOOptions>(configuration)
{
    protected override void Check(SocketIOOptions options, SettingProblems problems)
    {
        if (!Enum.IsDefined(options.Parser))
        {
            problems.Add(nameof(options.Parser), options.Parser.ToString(), "must be Json or MsgPack");
        }
        // A server timer per connection: past MaxTimer every Engine.IO session failed at open.
        problems.Timer(nameof(options.ConnectTimeout), options.ConnectTimeout);
        // Task.WaitAsync and the broadcast's ack timer; Timeout.InfiniteTimeSpan (wait forever) is honoured too.
        if (options.DefaultAckTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.TimeSpanBetween(nameof(options.DefaultAckTimeout), options.DefaultAckTimeout, SettingProblems.MinTimer,
                SettingProblems.MaxTimer, "or -00:00:00.001 to wait forever");
        }
        problems.AtLeast(nameof(options.MaxAttachments), options.MaxAttachments, 0);
        problems.LimitWhenSet(nameof(options.MaxNamespacesPerConnection), options.MaxNamespacesPerConnection);
        problems.LimitWhenSet(nameof(options.MaxRoomsPerSocket), options.MaxRoomsPerSocket);
        problems.LimitWhenSet(nameof(options.MaxPendingAcksPerSocket), options.MaxPendingAcksPerSocket);
        if (options.EventRateLimit is { } limit)
        {
            // Refilled from timestamps when an event arrives (no timer), so any finite rate above 0 works.
            EngineIOOptionsValidator.RateLimit(problems, nameof(options.EventRateLimit), limit, 0, double.MaxValue);
        }
        if (options.ShutdownEvent is { } shutdownEvent && ReservedEvents.IsReserved(shutdownEvent))
        {
            // Emitting a reserved name throws: the drain would fail at the first namespace.
            problems.Add(nameof(options.ShutdownEvent), shutdownEvent,
                $"must not be a reserved event name ({string.Join(", ", ReservedEvents.All)})");
        }
        if (options.AuthenticationExpiredEvent is { } expiredEvent && ReservedEvents.IsReserved(expiredEvent))
        {
            // Emitting a reserved name throws: the expiry would fail instead of telling the client.
            problems.Add(nameof(options.AuthenticationExpiredEvent), expiredEvent,
                $"must not be a reserved event name ({string.Join(", ", ReservedEvents.All)})");
        }
        if (options.ConnectionStateRecovery is { } recovery)
        {
            problems.Timer("ConnectionStateRecovery:MaxDisconnectionDuration", recovery.MaxDisconnectionDuration);
        }
    }
}
