using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Items;

/// <summary>The board's rules (<c>Items</c> section) must be ones the board can apply.</summary>
internal sealed class ItemsOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<ItemsOptions>(configuration)
{
    /// <summary>
    /// The largest page: a page is read at once and sent as one ack, and an item can carry ~2 KB of text, so
    /// 1000 items is already ~2 MB per request (the board's page asks for 20).
    /// </summary>
    public const int MaxPageSizeLimit = 1000;

    protected override void Check(ItemsOptions options, SettingProblems problems)
    {
        // Prices have at most 2 decimals and are at most ItemRules.MaxPrice: an increment outside that could
        // never be met exactly, or would make every bid too low.
        if (options.MinIncrement <= 0 || options.MinIncrement > ItemRules.MaxPrice
            || decimal.Round(options.MinIncrement, 2) != options.MinIncrement)
        {
            problems.Add(nameof(options.MinIncrement), options.MinIncrement,
                $"must be above 0 and at most {ItemRules.MaxPrice:0}, with at most 2 decimals (e.g. 0.50)");
        }
        problems.Between(nameof(options.MaxPageSize), options.MaxPageSize, 1, MaxPageSizeLimit);
        problems.Between(nameof(options.DefaultPageSize), options.DefaultPageSize, 1, Math.Max(1, options.MaxPageSize),
            "at most MaxPageSize");
    }
}
