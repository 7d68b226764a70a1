using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RealtimeApp.Items;

/// <summary>
/// Items in SQLite (Microsoft.Data.Sqlite): WAL journal with synchronous=FULL, so a committed write is on
/// disk before the ack that reports it; every write is one IMMEDIATE transaction (the write lock is taken
/// at BEGIN), so racing bids are applied one after another and each is checked against the item as the
/// previous one left it. Money is stored as integer cents.
/// </summary>
public sealed class SqliteItemStore(string connectionString) : IItemStore
{
    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS items (
                seq            INTEGER PRIMARY KEY AUTOINCREMENT,
                id             TEXT NOT NULL UNIQUE,
                title          TEXT NOT NULL,
                description    TEXT NOT NULL,
                owner          TEXT NOT NULL,
                starting_cents INTEGER NOT NULL,
                current_cents  INTEGER NOT NULL,
                leader         TEXT NULL,
                bid_count      INTEGER NOT NULL DEFAULT 0,
                status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                created_at     TEXT NOT NULL,
                closes_at      TEXT NULL,
                version        INTEGER NOT NULL DEFAULT 1
            );
            CREATE TABLE IF NOT EXISTS bids (
                seq      INTEGER PRIMARY KEY AUTOINCREMENT,
                item_id  TEXT NOT NULL REFERENCES items(id),
                bidder   TEXT NOT NULL,
                cents    INTEGER NOT NULL,
                placed_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS bids_by_item ON bids(item_id);
            """, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<Item> Items, string? NextCursor)> ListAsync(string? cursor, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemRow.Columns} FROM items WHERE seq < $cursor ORDER BY seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$cursor", ItemPage.Before(cursor));
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<(long Seq, Item Item)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add((reader.GetInt64(0), ItemRow.Read(reader, ReadTime)));
            }
        }
        return ItemPage.From(items, limit);
    }

    /// <inheritdoc />
    public async Task<Item?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Item> CreateAsync(string owner, CreateItemRequest request, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var cents = ItemRow.Cents(request.StartingPrice!.Value);
        var item = new Item(ItemRow.NewId(), request.Title!.Trim(), request.Description?.Trim() ?? "", owner,
            request.StartingPrice.Value, request.StartingPrice.Value, null, 0, ItemStatus.Open, now, request.ClosesAt, 1);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO items (id, title, description, owner, starting_cents, current_cents, status, created_at, closes_at, version)
            VALUES ($id, $title, $description, $owner, $cents, $cents, 'open', $created, $closes, 1)
            """;
        command.Parameters.AddWithValue("$id", item.Id);
        command.Parameters.AddWithValue("$title", item.Title);
        command.Parameters.AddWithValue("$description", item.Description);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$cents", cents);
        command.Parameters.AddWithValue("$created", Format(now));
        command.Parameters.AddWithValue("$closes", item.ClosesAt is { } closes ? Format(closes) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return item;
    }

    /// <inheritdoc />
    public async Task<ItemChange> PlaceBidAsync(string itemId, string bidder, decimal amount, decimal increment,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var item = await FindAsync(connection, transaction, itemId, cancellationToken);
        var refusal = ItemRules.CheckBid(item, itemId, bidder, amount, increment, now);
        if (refusal is not null)
        {
            return refusal; // disposing the transaction rolls back: nothing written
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE items SET current_cents = $cents, leader = $bidder, bid_count = bid_count + 1, version = version + 1
                WHERE id = $id AND version = $version;
                INSERT INTO bids (item_id, bidder, cents, placed_at) VALUES ($id, $bidder, $cents, $now);
                """;
            command.Parameters.AddWithValue("$cents", ItemRow.Cents(amount));
            command.Parameters.AddWithValue("$bidder", bidder);
            command.Parameters.AddWithValue("$id", itemId);
            command.Parameters.AddWithValue("$version", item!.Version);
            command.Parameters.AddWithValue("$now", Format(now));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ItemChange.Done(item with
        {
            CurrentPrice = amount, Leader = bidder, BidCount = item.BidCount + 1, Version = item.Version + 1,
        });
    }

    /// <inheritdoc />
    public async Task<ItemChange> CloseAsync(string itemId, string user, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var item = await FindAsync(connection, transaction, itemId, cancellationToken);
        var refusal = ItemRules.CheckClose(item, itemId, user, now);
        if (refusal is not null)
        {
            return refusal;
        }
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE items SET status = 'closed', version = version + 1 WHERE id = $id";
            command.Parameters.AddWithValue("$id", itemId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ItemChange.Done(item! with { Status = ItemStatus.Closed, Version = item.Version + 1 });
    }

    /// <inheritdoc />
    /// <remarks>
    /// Checkpoints the WAL into the database file and truncates it, then closes the pooled connections, so
    /// the file left behind is complete on its own (a copy or backup of items.db alone has every write).
    /// </remarks>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT 1 FROM items LIMIT 1;", cancellationToken);
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        {
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
        SqliteConnection.ClearAllPools();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per connection: FULL makes each WAL commit durable (fsync) before it returns; writers queue
        // for the lock for up to 5 s instead of failing at once.
        await ExecuteAsync(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;", cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Item?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string id,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ItemRow.Columns} FROM items WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ItemRow.Read(reader, ReadTime) : null;
    }

    // Times are ISO 8601 text in SQLite.
    private static DateTimeOffset ReadTime(System.Data.Common.DbDataReader r, int column) =>
        DateTimeOffset.Parse(r.GetString(column), CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
