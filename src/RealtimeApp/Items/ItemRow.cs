using System.Data.Common;
using System.Security.Cryptography;

namespace RealtimeApp.Items;

/// <summary>
/// The items table as both stores lay it out: the column list, a row read back as an <see cref="Item"/>,
/// money as integer cents, and new ids. Only how each database keeps time differs, so the caller reads it.
/// </summary>
internal static class ItemRow
{
    public const string Columns =
        "seq, id, title, description, owner, starting_cents, current_cents, leader, bid_count, status, created_at, closes_at, version";

    /// <summary>The item of the current row (selected with <see cref="Columns"/>); <paramref name="time"/> reads a time column.</summary>
    public static Item Read(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> time) => new(
        Id: r.GetString(1),
        Title: r.GetString(2),
        Description: r.GetString(3),
        Owner: r.GetString(4),
        StartingPrice: r.GetInt64(5) / 100m,
        CurrentPrice: r.GetInt64(6) / 100m,
        Leader: r.IsDBNull(7) ? null : r.GetString(7),
        BidCount: r.GetInt32(8),
        Status: r.GetString(9) == "open" ? ItemStatus.Open : ItemStatus.Closed,
        CreatedAt: time(r, 10),
        ClosesAt: r.IsDBNull(11) ? null : time(r, 11),
        Version: r.GetInt64(12));

    public static long Cents(decimal amount) => (long)(amount * 100m);

    /// <summary>12 URL-safe characters from 9 random bytes.</summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[9];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
