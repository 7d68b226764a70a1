using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>The fixed channel subscriptions of the pub/sub and streams adapters.</summary>
internal static class RedisSubscriptions
{
    /// <summary>
    /// Subscribes each channel in turn (a <see cref="RedisSubscription"/> each, trying again while Redis cannot be
    /// reached); completes when all are made.
    /// </summary>
    public static async Task SubscribeAsync(ISubscriber subscriber, IReadOnlyList<(RedisChannel Channel, Action<ChannelMessage> Handler)> subscriptions,
        ILogger logger, string nsp)
    {
        foreach (var (channel, handler) in subscriptions)
        {
            await new RedisSubscription(subscriber, channel, handler, logger, nsp).Subscribed;
        }
    }
}
