using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO;

namespace RealtimeApp.Items;

/// <summary>
/// The board's use cases: validate, write (one durable transaction), then tell everyone. The ack is
/// built only after the write committed, and broadcasts carry the same view the ack does.
/// </summary>
public sealed class ItemService(IItemStore store, SocketIOServer io, TimeProvider time, IOptions<ItemsOptions> options)
{
    private SocketNamespace Board => io.Of(ItemEvents.Namespace);

    /// <summary><c>item:list</c>.</summary>
    public async Task<ItemAck> ListAsync(ListItemsRequest request)
    {
        var settings = options.Value;
        var limit = request.Limit ?? settings.DefaultPageSize;
        if (limit < 1 || limit > settings.MaxPageSize)
        {
            return ItemAck.Fail(ItemErrorCodes.InvalidInput, $"limit must be 1-{settings.MaxPageSize}");
        }
        var (items, next) = await store.ListAsync(request.Cursor, limit);
        var now = time.GetUtcNow();
        return new ItemListAck([.. items.Select(i => ItemView.From(i, now))], next);
    }

    /// <summary><c>item:create</c>: broadcasts <c>item:created</c>.</summary>
    public async Task<ItemAck> CreateAsync(string owner, CreateItemRequest request)
    {
        var now = time.GetUtcNow();
        if (ItemRules.Validate(request, now) is { } invalid)
        {
            return ItemAck.Fail(invalid);
        }
        var view = ItemView.From(await store.CreateAsync(owner, request, now), now);
        Board.Emit(ItemEvents.Created, view);
        return new ItemAck(true, view);
    }

    /// <summary><c>item:bid</c>: broadcasts <c>item:updated</c>, and <c>bid:placed</c> to the item's room.</summary>
    public async Task<ItemAck> BidAsync(string bidder, PlaceBidRequest request)
    {
        if (ItemRules.Validate(request) is { } invalid)
        {
            return ItemAck.Fail(invalid);
        }
        var now = time.GetUtcNow();
        var change = await store.PlaceBidAsync(request.ItemId!, bidder, request.Amount!.Value, options.Value.MinIncrement, now);
        if (change.Error is { } refused)
        {
            return ItemAck.Fail(refused);
        }
        var view = ItemView.From(change.Item!, now);
        Board.Emit(ItemEvents.Updated, view);
        Board.To(ItemEvents.Room(view.Id)).Emit(ItemEvents.BidPlaced, new BidPlaced(view.Id, request.Amount.Value, bidder, view));
        return new ItemAck(true, view);
    }

    /// <summary><c>item:close</c>: broadcasts <c>item:closed</c>.</summary>
    public async Task<ItemAck> CloseAsync(string user, ItemIdRequest request)
    {
        if (ItemRules.Validate(request) is { } invalid)
        {
            return ItemAck.Fail(invalid);
        }
        var now = time.GetUtcNow();
        var change = await store.CloseAsync(request.ItemId!, user, now);
        if (change.Error is { } refused)
        {
            return ItemAck.Fail(refused);
        }
        var view = ItemView.From(change.Item!, now);
        Board.Emit(ItemEvents.Closed, view);
        return new ItemAck(true, view);
    }

    /// <summary><c>item:watch</c> / <c>item:unwatch</c>: join or leave the item's room.</summary>
    public async Task<ItemAck> WatchAsync(SocketContext socket, ItemIdRequest request, bool watch)
    {
        if (ItemRules.Validate(request) is { } invalid)
        {
            return ItemAck.Fail(invalid);
        }
        if (await store.GetAsync(request.ItemId!) is null)
        {
            return ItemAck.Fail(ItemErrorCodes.NotFound, $"no item {request.ItemId}");
        }
        if (watch)
        {
            socket.Join(ItemEvents.Room(request.ItemId!));
        }
        else
        {
            socket.Leave(ItemEvents.Room(request.ItemId!));
        }
        return new ItemAck(true);
    }
}
