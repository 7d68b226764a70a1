using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// One channel subscription of one adapter (a literal, pattern or sharded channel: <c>SUBSCRIBE</c>,
/// <c>PSUBSCRIBE</c>, <c>SSUBSCRIBE</c>), made as soon as Redis allows — an adapter may start before Redis is
/// reachable, and publishes and subscribes fail fast rather than queue — and ended by <see cref="Unsubscribe"/>
/// whenever that comes, even before the subscription was made. Once made, StackExchange.Redis restores it by itself
/// after a reconnect (on a Redis Cluster, on the node that owns a sharded channel's slot); its
/// <see cref="ChannelMessageQueue"/> hands messages to the handler one at a time, in order (a burst in one delivery
/// batch: <see cref="ChannelMessages"/>).
/// </summary>
internal sealed class RedisSubscription
{
    private readonly ISubscriber _subscriber;
    private readonly Action<ChannelMessage> _handler;
    private readonly ILogger _logger;
    private readonly string _nsp;
    private readonly Lock _gate = new();
    private ChannelMessageQueue? _queue;
    private bool _ended;

    // after: the end of an earlier subscription to the same channel still being made (a room deleted and created
    // again while Redis was away): this one starts after it, so the two never overlap.
    public RedisSubscription(ISubscriber subscriber, RedisChannel channel, Action<ChannelMessage> handler, ILogger logger, string nsp,
        Task? after = null)
    {
        _subscriber = subscriber;
        Channel = channel;
        _handler = handler;
        _logger = logger;
        _nsp = nsp;
        Subscribed = SubscribeAsync(after);
    }

    public RedisChannel Channel { get; }

    /// <summary>Completes when the subscription is made (or given up by <see cref="Unsubscribe"/>).</summary>
    public Task Subscribed { get; }

    private async Task SubscribeAsync(Task? after)
    {
        if (after is not null)
        {
            await after.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            if (Ended)
            {
                return;
            }
            try
            {
                var queue = await _subscriber.SubscribeAsync(Channel);
                lock (_gate)
                {
                    if (!_ended)
                    {
                        _queue = queue;
                        ChannelMessages.HandleInBatches(queue, _handler, _logger);
                        return;
                    }
                }
                End(queue);
                return;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // A failed subscribe (Redis was there once and is away now) leaves the channel registered with a queue
                // nobody reads, which StackExchange.Redis would fill after the reconnect: drop it before trying again.
                // The channel is this adapter's own and no earlier subscription to it is still being made (see the
                // constructor), so no one else's queue goes with it.
                try
                {
                    _subscriber.Unsubscribe(Channel, null, CommandFlags.FireAndForget);
                }
                catch (RedisException)
                {
                    // not connected: the registration is gone all the same
                }
                if (delay == TimeSpan.FromMilliseconds(100))
                {
                    RedisAdapterLog.SubscribeFailed(_logger, _nsp, ex);
                }
            }
            // Try again (100 ms, doubling up to 2 s) once the server of the channel is reachable (checked without a
            // command: many rooms may wait).
            do
            {
                await Task.Delay(delay, CancellationToken.None);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
            while (!Ended && !_subscriber.IsConnected(Channel));
        }
    }

    private bool Ended
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    /// <summary>Ends the subscription (<c>UNSUBSCRIBE</c> or its kind's once it is the channel's last queue), now or as soon as it is made.</summary>
    public void Unsubscribe()
    {
        ChannelMessageQueue? queue;
        lock (_gate)
        {
            _ended = true;
            (queue, _queue) = (_queue, null);
        }
        if (queue is not null)
        {
            End(queue);
        }
    }

    private static void End(ChannelMessageQueue queue)
    {
        try
        {
            queue.Unsubscribe(CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis is away: the queue is unregistered already, so it will not be subscribed again.
        }
    }
}
