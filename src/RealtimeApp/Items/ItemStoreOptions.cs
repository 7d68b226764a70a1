using Microsoft.Data.Sqlite;
using Npgsql;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Items;

/// <summary>Which store holds the board (<c>Items:Store</c>) and where (<c>ConnectionStrings:Items</c>).</summary>
public sealed class ItemStoreOptions
{
    /// <summary>Configuration key of <see cref="Store"/>.</summary>
    public const string StoreKey = "Items:Store";

    /// <summary>Configuration key of <see cref="ConnectionString"/> (read with <c>GetConnectionString("Items")</c>).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Items";

    /// <summary><c>Sqlite</c> (the default, one node) or <c>Postgres</c> (<c>PostgreSQL</c> too; several nodes), any case.</summary>
    public string Store { get; set; } = "Sqlite";

    /// <summary>The SQLite or Npgsql connection string. Default <see cref="ItemsEndpoints.DefaultConnectionString"/>.</summary>
    public string ConnectionString { get; set; } = ItemsEndpoints.DefaultConnectionString;

    /// <summary>True for PostgreSQL, false for SQLite (valid options only).</summary>
    public bool IsPostgres => Store.ToLowerInvariant() is "postgres" or "postgresql";

    internal static bool IsKnownStore(string? store) => store?.ToLowerInvariant() is "sqlite" or "postgres" or "postgresql";
}

/// <summary>
/// Checks the store choice and that its connection string parses, at start: before, an unknown store threw
/// while services were registered and a malformed connection string only when the store was first created.
/// </summary>
internal sealed class ItemStoreOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<ItemStoreOptions>(configuration)
{
    protected override void Check(ItemStoreOptions options, SettingProblems problems)
    {
        if (!ItemStoreOptions.IsKnownStore(options.Store))
        {
            problems.AddKey(ItemStoreOptions.StoreKey, options.Store, "must be Sqlite or Postgres");
            return;
        }
        if (ConnectionStringError(options) is { } error)
        {
            // The line names the key and the reason; the value only when it holds no password (lines go to logs).
            problems.AddLine($"{ItemStoreOptions.ConnectionStringKey} = {SettingProblems.Format(SettingProblems.Redacted(options.ConnectionString))}: {error}");
        }
    }

    private static string? ConnectionStringError(ItemStoreOptions options)
    {
        var kind = options.IsPostgres ? "an Npgsql connection string such as Host=db;Database=items;Username=app"
            : "a SQLite connection string naming a file, such as Data Source=data/items.db";
        try
        {
            if (options.IsPostgres)
            {
                return new NpgsqlConnectionStringBuilder(options.ConnectionString).Host is { Length: > 0 }
                    ? null : $"must be {kind} (no Host)";
            }
            // The SQLite store creates the file's folder, so it needs a Data Source.
            return new SqliteConnectionStringBuilder(options.ConnectionString).DataSource is { Length: > 0 }
                ? null : $"must be {kind} (no Data Source)";
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return $"must be {kind} ({ex.Message})";
        }
    }
}
