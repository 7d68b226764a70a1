using System.Globalization;

namespace RealtimeApp.Items;

/// <summary>
/// Keyset paging shared by the stores: items are read newest first by their insertion sequence, one more
/// than the page holds; the cursor of the next page is the sequence of the page's last item.
/// </summary>
internal static class ItemPage
{
    /// <summary>
    /// The sequence to read below for <paramref name="cursor"/>: everything when there is none (null or empty);
    /// nothing (an empty last page, not an error) when it is not one this board handed out — as the Flask
    /// ancestor answered a cursor it could not read, and so a client paging with a stale or mangled cursor stops.
    /// </summary>
    public static long Before(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? long.MaxValue
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before) ? before
        : 0;

    /// <summary>The page and the next cursor from up to <paramref name="limit"/> + 1 rows read.</summary>
    public static (IReadOnlyList<Item> Items, string? NextCursor) From(List<(long Seq, Item Item)> rows, int limit)
    {
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? page[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return (page.Select(r => r.Item).ToList(), next);
    }
}
