using System.Text.Json.Serialization;

namespace RealtimeApp.Items;

// The /item wire contract (camelCase JSON), in one place. README "The /item board" documents it.

/// <summary><c>item:list</c>: newest first; <paramref name="Cursor"/> is the previous page's <c>nextCursor</c>.</summary>
public sealed record ListItemsRequest(
    [property: System.Text.Json.Serialization.JsonConverter(typeof(CursorConverter))] string? Cursor, int? Limit);

/// <summary>
/// Reads <c>cursor</c> whatever its JSON type: a string as is; any other value (a number, an object) as a cursor
/// no page has, so the request gets an empty page instead of a type error.
/// </summary>
internal sealed class CursorConverter : System.Text.Json.Serialization.JsonConverter<string?>
{
    public const string Unreadable = "unreadable";

    public override bool HandleNull => true;

    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case System.Text.Json.JsonTokenType.String:
                return reader.GetString();
            case System.Text.Json.JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                return Unreadable;
        }
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string? value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

/// <summary><c>item:create</c>.</summary>
public sealed record CreateItemRequest(string? Title, string? Description, decimal? StartingPrice, DateTimeOffset? ClosesAt);

/// <summary><c>item:bid</c>.</summary>
public sealed record PlaceBidRequest(string? ItemId, decimal? Amount);

/// <summary><c>item:close</c>, <c>item:watch</c>, <c>item:unwatch</c>.</summary>
public sealed record ItemIdRequest(string? ItemId);

/// <summary>What clients see of an item (acks, broadcasts and the HTTP API alike).</summary>
public sealed record ItemView(
    string Id,
    string Title,
    string Description,
    string Owner,
    decimal StartingPrice,
    decimal CurrentPrice,
    string? Leader,
    int BidCount,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosesAt,
    long Version)
{
    /// <summary>The view of <paramref name="item"/> at <paramref name="now"/> (an item past its closing time shows as closed).</summary>
    public static ItemView From(Item item, DateTimeOffset now) => new(item.Id, item.Title, item.Description, item.Owner,
        item.StartingPrice, item.CurrentPrice, item.Leader, item.BidCount,
        item.IsOpenAt(now) ? "open" : "closed", item.CreatedAt, item.ClosesAt, item.Version);
}

/// <summary><c>bid:placed</c>, sent to the item's room.</summary>
public sealed record BidPlaced(string ItemId, decimal Amount, string Bidder, ItemView Item);

/// <summary>An error in an ack: a stable code for programs, a sentence for people.</summary>
public sealed record ItemError(string Code, string Message);

/// <summary>The ack of /item requests: <c>{ok:true[, item]}</c> or <c>{ok:false, error}</c>.</summary>
public record ItemAck(
    bool Ok,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemView? Item = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemError? Error = null)
{
    /// <summary>A refusal with <paramref name="code"/>.</summary>
    public static ItemAck Fail(string code, string message) => new(false, Error: new ItemError(code, message));

    /// <summary>A refusal.</summary>
    public static ItemAck Fail(ItemError error) => new(false, Error: error);
}

/// <summary>The ack of <c>item:list</c>: <c>{ok:true, items, nextCursor}</c> (nextCursor null on the last page).</summary>
public sealed record ItemListAck(IReadOnlyList<ItemView> Items, string? NextCursor) : ItemAck(true);

/// <summary>Error codes of /item acks.</summary>
public static class ItemErrorCodes
{
    /// <summary>A field is missing, of the wrong type, too long, or out of range.</summary>
    public const string InvalidInput = "invalid_input";
    /// <summary>No item with that id.</summary>
    public const string NotFound = "not_found";
    /// <summary>The item is closed (by its owner or its closing time).</summary>
    public const string ItemClosed = "item_closed";
    /// <summary>The bid does not beat the current price by the minimum increment.</summary>
    public const string BidTooLow = "bid_too_low";
    /// <summary>Owners cannot bid on their own items.</summary>
    public const string OwnItem = "own_item";
    /// <summary>Only the owner closes an item.</summary>
    public const string NotOwner = "not_owner";
    /// <summary>Creating, bidding and closing need a signed-in account (anonymous sockets only watch).</summary>
    public const string Unauthenticated = "unauthenticated";
}

/// <summary>Event names of the /item namespace.</summary>
public static class ItemEvents
{
    /// <summary>The namespace.</summary>
    public const string Namespace = "/item";
    /// <summary>Requests (each answered through its ack).</summary>
    public const string List = "item:list", Create = "item:create", Bid = "item:bid", Close = "item:close",
        Watch = "item:watch", Unwatch = "item:unwatch";
    /// <summary>Broadcasts to the whole namespace.</summary>
    public const string Created = "item:created", Updated = "item:updated", Closed = "item:closed";
    /// <summary>Broadcast to the item's room.</summary>
    public const string BidPlaced = "bid:placed";

    /// <summary>The room of one item's watchers.</summary>
    public static string Room(string itemId) => $"item:{itemId}";
}
