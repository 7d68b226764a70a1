using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>Channel subscriptions that wait for Redis: an adapter may start before Redis is reachable.</summary>
internal static class RedisSubscriptions
{
    /// <summary>
    /// Subscribes each channel in turn, trying again (100 ms, doubling up to 2 s) while Redis cannot be reached:
    /// publishes and subscribes fail fast rather than queue. Once made, StackExchange.Redis restores a
    /// subscription by itself after a reconnect; ChannelMessageQueue.OnMessage handles one message at a time, in
    /// order, per channel (a burst in one delivery batch: <see cref="ChannelMessages"/>).
    /// </summary>
    public static async Task SubscribeAsync(ISubscriber subscriber, IReadOnlyList<(RedisChannel Channel, Action<ChannelMessage> Handler)> subscriptions,
        ILogger logger, string nsp, CancellationToken cancellation = default)
    {
        var done = 0;
        var delay = TimeSpan.FromMilliseconds(100);
        while (done < subscriptions.Count && !cancellation.IsCancellationRequested)
        {
            try
            {
                var (channel, handler) = subscriptions[done];
                ChannelMessages.HandleInBatches(await subscriber.SubscribeAsync(channel), handler, logger);
                done++;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // A failed subscribe (Redis was there once and is away now) leaves the channel registered with a queue
                // nobody reads, which StackExchange.Redis would subscribe again and fill after the reconnect: drop it
                // before trying again (each channel here belongs to one adapter).
                try
                {
                    subscriber.Unsubscribe(subscriptions[done].Channel, null, CommandFlags.FireAndForget);
                }
                catch (RedisException)
                {
                    // not connected: the registration is gone all the same
                }
                if (delay == TimeSpan.FromMilliseconds(100))
                {
                    RedisAdapterLog.SubscribeFailed(logger, nsp, ex);
                }
                await Task.Delay(delay, CancellationToken.None);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }
}
