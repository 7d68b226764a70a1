using System.Text.Json;
using RealtimeApp.SocketIO;

namespace RealtimeApp.Items;

/// <summary>
/// The /item namespace: anyone may connect and watch (list, watch, unwatch, and every broadcast); creating,
/// bidding and closing need a signed-in account, and act as that account's name. One handler per request event,
/// each answering through the client's ack. Bad input is answered with an error ack; an unexpected failure too
/// (logged) — never a dropped request, never a crash.
/// </summary>
public static class ItemNamespace
{
    /// <summary>Registers the /item namespace on <paramref name="io"/>.</summary>
    public static void Register(SocketIOServer io, ItemService items, ILogger logger)
    {
        io.Of(ItemEvents.Namespace).OnConnection(socket =>
        {
            // The acting name is the account's user name from the handshake's signed-in user (the Identity cookie
            // or bearer token the engine's first request carried), never a string the client sends: auth.name and
            // any name inside a payload are ignored. Null for an anonymous watcher.
            var user = socket.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
            Handle<ListItemsRequest>(socket, ItemEvents.List, r => items.ListAsync(r), logger, new ListItemsRequest(null, null));
            Handle<CreateItemRequest>(socket, ItemEvents.Create, r => SignedIn(user, u => items.CreateAsync(u, r)), logger);
            Handle<PlaceBidRequest>(socket, ItemEvents.Bid, r => SignedIn(user, u => items.BidAsync(u, r)), logger);
            Handle<ItemIdRequest>(socket, ItemEvents.Close, r => SignedIn(user, u => items.CloseAsync(u, r)), logger);
            Handle<ItemIdRequest>(socket, ItemEvents.Watch, r => items.WatchAsync(socket, r, watch: true), logger);
            Handle<ItemIdRequest>(socket, ItemEvents.Unwatch, r => items.WatchAsync(socket, r, watch: false), logger);
        });
    }

    private static Task<ItemAck> SignedIn(string? user, Func<string, Task<ItemAck>> act) =>
        user is null
            ? Task.FromResult(ItemAck.Fail(ItemErrorCodes.Unauthenticated, "sign in to create, bid or close items"))
            : act(user);

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
