using System.Text.Json;
using RealtimeApp.SocketIO;

namespace RealtimeApp.Items;

/// <summary>
/// The /item namespace: a connection middleware that takes the display name from the auth payload, and
/// one handler per request event, each answering through the client's ack. Bad input is answered with
/// an error ack; an unexpected failure too (logged) — never a dropped request, never a crash.
/// </summary>
public static class ItemNamespace
{
    /// <summary>The key of the display name in <see cref="SocketContext.Data"/>.</summary>
    public const string NameKey = "name";

    /// <summary>Registers the /item namespace on <paramref name="io"/>.</summary>
    public static void Register(SocketIOServer io, ItemService items, ILogger logger)
    {
        io.Of(ItemEvents.Namespace)
            .Use((socket, next) =>
            {
                var auth = socket.Handshake.Auth;
                var name = auth.ValueKind == JsonValueKind.Object && auth.TryGetProperty("name", out var value)
                    && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                if (ItemRules.ValidateName(name) is { } problem)
                {
                    throw new ConnectionRefusedException(problem, new { code = "invalid_name" });
                }
                socket.Data[NameKey] = name!.Trim();
                return next();
            })
            .OnConnection(socket =>
            {
                var user = (string)socket.Data[NameKey]!;
                Handle<ListItemsRequest>(socket, ItemEvents.List, r => items.ListAsync(r), logger, new ListItemsRequest(null, null));
                Handle<CreateItemRequest>(socket, ItemEvents.Create, r => items.CreateAsync(user, r), logger);
                Handle<PlaceBidRequest>(socket, ItemEvents.Bid, r => items.BidAsync(user, r), logger);
                Handle<ItemIdRequest>(socket, ItemEvents.Close, r => items.CloseAsync(user, r), logger);
                Handle<ItemIdRequest>(socket, ItemEvents.Watch, r => items.WatchAsync(socket, r, watch: true), logger);
                Handle<ItemIdRequest>(socket, ItemEvents.Unwatch, r => items.WatchAsync(socket, r, watch: false), logger);
            });
    }

    private static void Handle<TRequest>(SocketContext socket, string eventName, Func<TRequest, Task<ItemAck>> handle,
        ILogger logger, TRequest? whenEmpty = null) where TRequest : class
    {
        socket.On(eventName, async e =>
        {
            ItemAck answer;
            try
            {
                var request = e.Arguments.Count == 0 ? whenEmpty : e.Arguments[0].ValueKind == JsonValueKind.Object ? e.Arguments.Get<TRequest>() : null;
                answer = request is null
                    ? ItemAck.Fail(ItemErrorCodes.InvalidInput, $"{eventName} expects an object")
                    : await handle(request);
            }
            catch (JsonException ex)
            {
                // Name the field, not the .NET type: "amount has the wrong type".
                var field = ex.Path is { Length: > 2 } path ? path[2..] : "the payload";
                answer = ItemAck.Fail(ItemErrorCodes.InvalidInput, $"{field} has the wrong type");
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Event} failed for {Socket}", eventName, socket.Id);
                answer = ItemAck.Fail("internal", "the request failed; nothing was changed");
            }
            e.Ack?.Send(answer);
        });
    }
}
