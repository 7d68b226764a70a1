namespace RealtimeApp.Items;

/// <summary>Whether an item still takes bids.</summary>
public enum ItemStatus
{
    /// <summary>Takes bids.</summary>
    Open,
    /// <summary>Closed by its owner (or past its closing time): takes no bids.</summary>
    Closed,
}

/// <summary>
/// An item on the board. <see cref="Version"/> grows with every change, so clients keep the newest view
/// of an item whatever order broadcasts arrive in.
/// </summary>
public sealed record Item(
    string Id,
    string Title,
    string Description,
    string Owner,
    decimal StartingPrice,
    decimal CurrentPrice,
    string? Leader,
    int BidCount,
    ItemStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosesAt,
    long Version)
{
    /// <summary>Open, and not past its closing time at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => Status == ItemStatus.Open && (ClosesAt is null || now < ClosesAt);

    /// <summary>The least a bid must offer: the starting price first, then the current price plus the increment.</summary>
    public decimal MinimumBid(decimal increment) => BidCount == 0 ? StartingPrice : CurrentPrice + increment;
}
