using Microsoft.Extensions.Options;
using RealtimeApp.Hosting;
using RealtimeApp.SocketIO.Hosting;
using RealtimeApp.SocketIO;

namespace RealtimeApp.Items;

/// <summary>Registration of the board: store, service, schema at startup, namespace and HTTP read API.</summary>
public static class ItemsEndpoints
{
    /// <summary>Connection string used when <c>ConnectionStrings:Items</c> is not set: a file next to the app.</summary>
    public const string DefaultConnectionString = "Data Source=data/items.db";

    /// <summary>
    /// Registers the store (SQLite by default), the service and options (<c>Items</c> section, <c>Items:Store</c>,
    /// <c>ConnectionStrings:Items</c>), each checked when the host starts.
    /// </summary>
    public static IServiceCollection AddItems(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ItemsOptions>().BindConfigurationChecked("Items");
        services.AddSettingsValidator<ItemsOptions, ItemsOptionsValidator>();
        // Items:Store picks the store: "Sqlite" (the default, one node) or "Postgres" (several nodes). Both are
        // strings (nothing to convert), read when the options are first created; the store is made from them
        // once they passed the check, so a bad value is refused at start, not thrown while registering.
        services.AddOptions<ItemStoreOptions>().Configure(options =>
        {
            options.Store = configuration[ItemStoreOptions.StoreKey] ?? options.Store;
            options.ConnectionString = configuration.GetConnectionString("Items") ?? options.ConnectionString;
        });
        services.AddSettingsValidator<ItemStoreOptions, ItemStoreOptionsValidator>();
        services.AddSingleton<IItemStore>(provider => provider.GetRequiredService<IOptions<ItemStoreOptions>>().Value is var store
            && store.IsPostgres
                ? new PostgresItemStore(store.ConnectionString)
                : new SqliteItemStore(store.ConnectionString));
        services.AddSingleton<ItemService>();
        services.AddHostedService<ItemStoreInitializer>();
        // The library answers no ack for the app (as Node): the board answers the events it turned away
        // (bad payload, rate limit, limits, shutdown) in its own {ok:false,error:{code,message}} format.
        services.Configure<SocketIOOptions>(options => options.OnRefusal = ItemNamespace.AnswerRefusal);
        return services;
    }

    /// <summary>Registers the /item namespace and maps <c>GET /api/items</c> and <c>GET /api/items/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapItems(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        ItemNamespace.Register(services.GetRequiredService<SocketIOServer>(), services.GetRequiredService<ItemService>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("RealtimeApp.Items"));

        var api = endpoints.MapGroup("/api/items").RequireCors(AppCors.Policy);
        api.MapGet("/", async (string? cursor, int? limit, ItemService items) =>
        {
            var answer = await items.ListAsync(new ListItemsRequest(cursor, limit));
            return answer is ItemListAck list
                ? Results.Ok(new { items = list.Items, nextCursor = list.NextCursor })
                : Results.BadRequest(answer.Error);
        });
        api.MapGet("/{id}", async (string id, IItemStore store, TimeProvider time) =>
            await store.GetAsync(id) is { } item ? Results.Ok(ItemView.From(item, time.GetUtcNow())) : Results.NotFound());
        return endpoints;
    }

    /// <summary>
    /// Creates or migrates the schema before Kestrel starts listening (hosted services start first), and
    /// flushes the store at shutdown: StopAsync runs after the Socket.IO drain (StoppingAsync), so after the
    /// last write a client could have been acked for.
    /// </summary>
    private sealed class ItemStoreInitializer(IItemStore store, ILogger<ItemStoreInitializer> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await store.FlushAsync(cancellationToken);
            logger.LogInformation("Item store flushed");
        }
    }
}
