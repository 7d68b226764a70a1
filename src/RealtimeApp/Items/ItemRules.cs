namespace RealtimeApp.Items;

/// <summary>
/// Input rules of the /item requests, pure (no I/O): each returns null when the input is acceptable,
/// otherwise the error to send back. The rules that need the stored item (<see cref="CheckBid"/>,
/// <see cref="CheckClose"/>) are called by the stores inside their transactions.
/// </summary>
public static class ItemRules
{
    // Lengths count what a person sees as one character (a grapheme: an emoji, a letter with its accents), as
    // README says, not UTF-16 units: 61 emoji are a 61-character title, as the Python ancestor counted them.

    /// <summary>Longest title, in characters.</summary>
    public const int MaxTitle = 120;
    /// <summary>Longest description, in characters.</summary>
    public const int MaxDescription = 2000;
    /// <summary>Longest display name, in characters.</summary>
    public const int MaxName = 40;
    /// <summary>Largest price accepted.</summary>
    public const decimal MaxPrice = 1_000_000_000m;

    /// <summary>A display name: 1–40 characters, not blank, no control characters.</summary>
    public static string? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "name required"
        : Characters(name) > MaxName ? $"name longer than {MaxName} characters"
        : name.Any(char.IsControl) ? "name contains control characters"
        : null;

    /// <summary>Checks a create request at <paramref name="now"/>.</summary>
    public static ItemError? Validate(CreateItemRequest request, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(request.Title) || Characters(request.Title.Trim()) > MaxTitle)
        {
            return Invalid($"title must be 1-{MaxTitle} characters");
        }
        if (Characters(request.Description ?? "") > MaxDescription)
        {
            return Invalid($"description must be at most {MaxDescription} characters");
        }
        if (ValidatePrice(request.StartingPrice, "startingPrice") is { } price)
        {
            return price;
        }
        if (request.ClosesAt is { } closesAt && closesAt <= now)
        {
            return Invalid("closesAt must be in the future");
        }
        return null;
    }

    /// <summary>Checks a bid request's shape (the amount against the item is checked in the store).</summary>
    public static ItemError? Validate(PlaceBidRequest request) =>
        string.IsNullOrWhiteSpace(request.ItemId) ? Invalid("itemId required")
        : ValidatePrice(request.Amount, "amount");

    /// <summary>Checks a request naming an item.</summary>
    public static ItemError? Validate(ItemIdRequest request) =>
        string.IsNullOrWhiteSpace(request.ItemId) ? Invalid("itemId required") : null;

    /// <summary>
    /// Whether a bid may be placed on <paramref name="item"/> (as read inside the store's transaction): it
    /// exists, is open at <paramref name="now"/>, is not the bidder's, and the amount reaches its minimum bid.
    /// </summary>
    /// <returns>null when it may; otherwise the refusal.</returns>
    public static ItemChange? CheckBid(Item? item, string itemId, string bidder, decimal amount, decimal increment, DateTimeOffset now) =>
        item is null ? ItemChange.Refused(ItemErrorCodes.NotFound, $"no item {itemId}")
        : !item.IsOpenAt(now) ? ItemChange.Refused(ItemErrorCodes.ItemClosed, "the item is closed")
        : item.Owner == bidder ? ItemChange.Refused(ItemErrorCodes.OwnItem, "you cannot bid on your own item")
        : amount < item.MinimumBid(increment)
            ? ItemChange.Refused(ItemErrorCodes.BidTooLow, $"the bid must be at least {item.MinimumBid(increment):0.00}")
        : null;

    /// <summary>Whether <paramref name="user"/> may close <paramref name="item"/> at <paramref name="now"/>.</summary>
    /// <returns>null when they may; otherwise the refusal.</returns>
    public static ItemChange? CheckClose(Item? item, string itemId, string user, DateTimeOffset now) =>
        item is null ? ItemChange.Refused(ItemErrorCodes.NotFound, $"no item {itemId}")
        : item.Owner != user ? ItemChange.Refused(ItemErrorCodes.NotOwner, "only the owner closes an item")
        : !item.IsOpenAt(now) ? ItemChange.Refused(ItemErrorCodes.ItemClosed, "the item is already closed")
        : null;

    private static ItemError? ValidatePrice(decimal? value, string field) =>
        value is not { } price ? Invalid($"{field} required")
        : price <= 0 || price > MaxPrice ? Invalid($"{field} must be above 0 and at most {MaxPrice}")
        : decimal.Round(price, 2) != price ? Invalid($"{field} has more than 2 decimals")
        : null;

    /// <summary>How many characters a person sees in <paramref name="text"/> (extended grapheme clusters).</summary>
    public static int Characters(string text) => new System.Globalization.StringInfo(text).LengthInTextElements;

    private static ItemError Invalid(string message) => new(ItemErrorCodes.InvalidInput, message);
}
