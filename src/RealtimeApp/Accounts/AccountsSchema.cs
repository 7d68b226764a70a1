using System.Data.Common;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using RealtimeApp.Items;

namespace RealtimeApp.Accounts;

/// <summary>
/// Creates the accounts' tables (Identity's and the data-protection keys') at startup, before Kestrel listens
/// (hosted services start first), and makes sure the key ring holds a key.
/// </summary>
/// <remarks>
/// <para>Why not <c>EnsureCreated</c>: it does nothing at all when the database already has any table, and an
/// existing board's SQLite file (or the cluster's PostgreSQL) already has the item tables, so the Identity
/// tables would never appear. Why not EF migrations: the item tables are not in the EF model (the item stores
/// own them, in plain SQL), and one model on two providers would need two migration sets for a schema that is
/// Identity's own. So: if the Identity tables are missing, <see cref="IRelationalDatabaseCreator.CreateTablesAsync"/>
/// creates exactly this model's tables next to the items, which it leaves alone. When this model ever changes
/// (a column on <see cref="BoardUser"/>), that is the day to switch to migrations.</para>
/// <para>Two cluster nodes start at the same moment against one PostgreSQL: both would see "no tables" and both
/// would create them (the second failing), and both would find an empty key ring and each make its own key, so a
/// cookie from one node would not open on the other until the key rings refresh. A session-level
/// <c>pg_advisory_lock</c> on the connection doing the work serializes the whole step: the second node waits,
/// then sees the tables and the first node's key. SQLite serves one node, which needs no such lock.</para>
/// </remarks>
internal sealed class AccountsSchema(IServiceScopeFactory scopes, IKeyManager keys, IOptions<ItemStoreOptions> store,
    TimeProvider time, ILogger<AccountsSchema> logger) : IHostedService
{
    /// <summary>The advisory lock's key: any constant the app uses for nothing else ("RTAPPACC").</summary>
    private const long LockKey = 0x5254_4150_5041_4343;

    /// <summary>How long a key made here is used (the data-protection default).</summary>
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var postgres = store.Value.IsPostgres;
        if (!postgres)
        {
            // The item store creates the file's folder too; not relying on which hosted service runs first.
            var file = new SqliteConnectionStringBuilder(store.Value.ConnectionString).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        // Opened here, EF keeps this one connection for everything below (so the lock covers CreateTablesAsync).
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        try
        {
            if (postgres)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            }
            if (!await IdentityTablesExistAsync(connection, postgres, cancellationToken))
            {
                await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
                logger.LogInformation("Created the account tables (Identity and data-protection keys)");
            }
            EnsureKey();
        }
        finally
        {
            if (postgres)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Under the lock: the first node makes the key every node then uses (the key ring would otherwise make
    // one lazily, per node, on first use).
    private void EnsureKey()
    {
        var now = time.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            keys.CreateNewKey(now, now + KeyLifetime);
            logger.LogInformation("Created a data-protection key");
        }
    }

    private static async Task<bool> IdentityTablesExistAsync(DbConnection connection, bool postgres, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'AspNetUsers'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'AspNetUsers'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
