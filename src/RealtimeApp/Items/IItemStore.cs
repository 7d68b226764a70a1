namespace RealtimeApp.Items;

/// <summary>
/// Where items live. Every write is one transaction and durable before it returns, so an ack sent after
/// it never promises something a crash could lose. SQLite implements it; PostgreSQL can follow.
/// </summary>
public interface IItemStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>A page of items, newest first, and the cursor of the next page (null at the end).</summary>
    Task<(IReadOnlyList<Item> Items, string? NextCursor)> ListAsync(string? cursor, int limit, CancellationToken cancellationToken = default);

    /// <summary>One item, or null.</summary>
    Task<Item?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stores a new item.</summary>
    Task<Item> CreateAsync(string owner, CreateItemRequest request, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks and records a bid in one transaction (so two racing bids cannot both win): the item exists,
    /// is open at <paramref name="now"/>, is not the bidder's, and the amount is at least its minimum bid.
    /// </summary>
    Task<ItemChange> PlaceBidAsync(string itemId, string bidder, decimal amount, decimal increment, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Closes an item for its owner, in one transaction.</summary>
    Task<ItemChange> CloseAsync(string itemId, string user, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Readiness: the store answers a read of the items table now (throws when it cannot). Cheap enough for a
    /// load balancer's probe every few seconds.
    /// </summary>
    Task CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// At shutdown, after the last write: leaves the store tidy for the next process (every write is already
    /// durable; this only folds logs and closes pooled connections).
    /// </summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}

/// <summary>The outcome of a write: the changed item, or why nothing changed.</summary>
public sealed record ItemChange(Item? Item, ItemError? Error)
{
    /// <summary>A successful change.</summary>
    public static ItemChange Done(Item item) => new(item, null);

    /// <summary>A refused change (nothing was written).</summary>
    public static ItemChange Refused(string code, string message) => new(null, new ItemError(code, message));
}
