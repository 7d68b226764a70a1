namespace RealtimeApp.Items;

/// <summary>Board rules, from the <c>Items</c> configuration section.</summary>
public sealed class ItemsOptions
{
    /// <summary>How much a bid must beat the current price by. Default 1.00.</summary>
    public decimal MinIncrement { get; set; } = 1.00m;

    /// <summary>Items per <c>item:list</c> page when the client asks for none. Default 20.</summary>
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>Most items per page. Default 100.</summary>
    public int MaxPageSize { get; set; } = 100;
}
