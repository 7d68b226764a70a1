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
            // item:list may come without a payload (the first page): bound here; the others bind through the
            // library's typed On<T>, whose refusals come back through AnswerRefusal.
            HandleList(socket, r => items.ListAsync(r), logger);
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

    /// <summary>
    /// The board's answer to an event the library turned away (<see cref="SocketIOOptions.OnRefusal"/>): a payload
    /// that did not bind is the board's <c>invalid_input</c>, naming the field; the rest keep the library's code.
    /// </summary>
    public static void AnswerRefusal(SocketRefusal refusal)
    {
        if (refusal.Ack is not { } ack)
        {
            return;
        }
        ack.Send(refusal.Code == SocketRefusalCodes.InvalidPayload
            ? ItemAck.Fail(ItemErrorCodes.InvalidInput, InvalidInputMessage(refusal.EventName, refusal.Exception))
            : ItemAck.Fail(refusal.Code, refusal.Message));
    }

    // Name the field, not the .NET type: "amount has the wrong type"; a payload that is not an object at all
    // (a string, null, nothing) fails at its root ("$").
    private static string InvalidInputMessage(string eventName, Exception? error) =>
        error is JsonException { Path: { Length: > 2 } path } ? $"{path[2..]} has the wrong type" : $"{eventName} expects an object";

    private static void Handle<TRequest>(SocketContext socket, string eventName, Func<TRequest, Task<ItemAck>> handle,
        ILogger logger) where TRequest : class =>
        socket.On<TRequest>(eventName, async (request, ack) => ack?.Send(await Answer(socket, eventName, () => handle(request), logger)));

    private static void HandleList(SocketContext socket, Func<ListItemsRequest, Task<ItemAck>> handle, ILogger logger) =>
        socket.On(ItemEvents.List, async e =>
        {
            var answer = await Answer(socket, ItemEvents.List, () =>
            {
                var request = e.Arguments.Count == 0 ? new ListItemsRequest(null, null)
                    : e.Arguments[0].ValueKind == JsonValueKind.Object ? e.Arguments.Get<ListItemsRequest>() : null;
                return request is null
                    ? Task.FromResult(ItemAck.Fail(ItemErrorCodes.InvalidInput, $"{ItemEvents.List} expects an object"))
                    : handle(request);
            }, logger);
            e.Ack?.Send(answer);
        });

    // Bad input is answered; an unexpected failure too (logged): never a dropped request, never a crash.
    private static async Task<ItemAck> Answer(SocketContext socket, string eventName, Func<Task<ItemAck>> handle, ILogger logger)
    {
        try
        {
            return await handle();
        }
        catch (JsonException ex)
        {
            return ItemAck.Fail(ItemErrorCodes.InvalidInput, InvalidInputMessage(eventName, ex));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Event} failed for {Socket}", eventName, socket.Id);
            return ItemAck.Fail("internal", "the request failed; nothing was changed");
        }
    }
}
