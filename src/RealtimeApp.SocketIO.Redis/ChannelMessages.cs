using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RealtimeApp.SocketIO.Adapters;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// Handles a subscription's messages one at a time, in order (as <see cref="ChannelMessageQueue.OnMessage(Action{ChannelMessage})"/>),
/// but takes every message that has already arrived in one go, inside one delivery batch: a burst of broadcasts from
/// other nodes then costs each local socket one write, not one per broadcast.
/// </summary>
internal static class ChannelMessages
{
    public static void HandleInBatches(ChannelMessageQueue queue, Action<ChannelMessage> handler, ILogger logger) =>
        _ = HandleAsync(queue, handler, logger);

    private static async Task HandleAsync(ChannelMessageQueue queue, Action<ChannelMessage> handler, ILogger logger)
    {
        try
        {
            while (true)
            {
                var message = await queue.ReadAsync();
                using (AdapterContext.BatchDeliveries())
                {
                    do
                    {
                        try
                        {
                            handler(message);
                        }
                        catch (Exception ex)
                        {
                            // One message that cannot be handled must not end the subscription.
                            RedisAdapterLog.HandlerFailed(logger, message.Channel.ToString(), ex);
                        }
                    }
                    while (queue.TryRead(out message));
                }
            }
        }
        catch (ChannelClosedException)
        {
            // unsubscribed
        }
    }
}
