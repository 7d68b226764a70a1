using System.Globalization;
using Npgsql;

namespace RealtimeApp.Items;

/// <summary>
/// Items in PostgreSQL (Npgsql), for several app nodes sharing one board. Every write is one transaction;
/// a bid or a close first locks the item's row (<c>SELECT … FOR UPDATE</c>), so racing bids from any node
/// are applied one after another, each checked against the item as the previous one left it. Committed
/// means durable (PostgreSQL's default synchronous_commit). Money is stored as integer cents.
/// </summary>
public sealed class PostgresItemStore(string connectionString) : IItemStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _source.CreateCommand("""
            CREATE TABLE IF NOT EXISTS items (
                seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id             TEXT NOT NULL UNIQUE,
                title          TEXT NOT NULL,
                description    TEXT NOT NULL,
                owner          TEXT NOT NULL,
                starting_cents BIGINT NOT NULL,
                current_cents  BIGINT NOT NULL,
                leader         TEXT NULL,
                bid_count      INTEGER NOT NULL DEFAULT 0,
                status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                created_at     TIMESTAMPTZ NOT NULL,
                closes_at      TIMESTAMPTZ NULL,
                version        BIGINT NOT NULL DEFAULT 1
            );
            CREATE TABLE IF NOT EXISTS bids (
                seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                item_id   TEXT NOT NULL REFERENCES items(id),
                bidder    TEXT NOT NULL,
                cents     BIGINT NOT NULL,
                placed_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX IF NOT EXISTS bids_by_item ON bids(item_id);
            """);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Two nodes starting together both ran CREATE … IF NOT EXISTS: the other one made the tables.
        }
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<Item> Items, string? NextCursor)> ListAsync(string? cursor, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var command = _source.CreateCommand($"SELECT {ItemRow.Columns} FROM items WHERE seq < $1 ORDER BY seq DESC LIMIT $2");
        command.Parameters.AddWithValue(ItemPage.Before(cursor));
        command.Parameters.AddWithValue(limit + 1);
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
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Item> CreateAsync(string owner, CreateItemRequest request, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        // PostgreSQL keeps microseconds: the item returned is the item as it will be read back.
        now = ToMicroseconds(now);
        var closesAt = request.ClosesAt is { } closing ? ToMicroseconds(closing) : (DateTimeOffset?)null;
        var item = new Item(ItemRow.NewId(), request.Title!.Trim(), request.Description?.Trim() ?? "", owner,
            request.StartingPrice!.Value, request.StartingPrice.Value, null, 0, ItemStatus.Open, now, closesAt, 1);
        await using var command = _source.CreateCommand("""
            INSERT INTO items (id, title, description, owner, starting_cents, current_cents, status, created_at, closes_at, version)
            VALUES ($1, $2, $3, $4, $5, $5, 'open', $6, $7, 1)
            """);
        command.Parameters.AddWithValue(item.Id);
        command.Parameters.AddWithValue(item.Title);
        command.Parameters.AddWithValue(item.Description);
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(ItemRow.Cents(item.StartingPrice));
        command.Parameters.AddWithValue(now.UtcDateTime);
        command.Parameters.AddWithValue(item.ClosesAt is { } closes ? closes.UtcDateTime : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return item;
    }

    /// <inheritdoc />
    public async Task<ItemChange> PlaceBidAsync(string itemId, string bidder, decimal amount, decimal increment,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var item = await FindAsync(connection, transaction, itemId, forUpdate: true, cancellationToken);
        var refusal = ItemRules.CheckBid(item, itemId, bidder, amount, increment, now);
        if (refusal is not null)
        {
            return refusal; // disposing the transaction rolls back: nothing written, the row lock released
        }

        await using (var command = new NpgsqlCommand("""
            UPDATE items SET current_cents = $1, leader = $2, bid_count = bid_count + 1, version = version + 1 WHERE id = $3;
            """, connection, transaction))
        {
            command.Parameters.AddWithValue(ItemRow.Cents(amount));
            command.Parameters.AddWithValue(bidder);
            command.Parameters.AddWithValue(itemId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(
            "INSERT INTO bids (item_id, bidder, cents, placed_at) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            command.Parameters.AddWithValue(itemId);
            command.Parameters.AddWithValue(bidder);
            command.Parameters.AddWithValue(ItemRow.Cents(amount));
            command.Parameters.AddWithValue(now.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ItemChange.Done(item! with
        {
            CurrentPrice = amount, Leader = bidder, BidCount = item.BidCount + 1, Version = item.Version + 1,
        });
    }

    /// <inheritdoc />
    public async Task<ItemChange> CloseAsync(string itemId, string user, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var item = await FindAsync(connection, transaction, itemId, forUpdate: true, cancellationToken);
        var refusal = ItemRules.CheckClose(item, itemId, user, now);
        if (refusal is not null)
        {
            return refusal;
        }
        await using (var command = new NpgsqlCommand(
            "UPDATE items SET status = 'closed', version = version + 1 WHERE id = $1", connection, transaction))
        {
            command.Parameters.AddWithValue(itemId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ItemChange.Done(item! with { Status = ItemStatus.Closed, Version = item.Version + 1 });
    }

    private static async Task<Item?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id,
        bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {ItemRow.Columns} FROM items WHERE id = $1{(forUpdate ? " FOR UPDATE" : "")}", connection, transaction);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ItemRow.Read(reader, ReadTime) : null;
    }

    // timestamptz comes back as a UTC DateTime.
    private static DateTimeOffset ReadTime(System.Data.Common.DbDataReader r, int column) =>
        new(r.GetDateTime(column), TimeSpan.Zero);

    private static DateTimeOffset ToMicroseconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _source.CreateCommand("SELECT 1 FROM items LIMIT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Commits are durable in PostgreSQL already; this returns the pooled connections to the server.</remarks>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}
