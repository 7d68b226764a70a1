using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RealtimeApp.Items;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Accounts;

/// <summary>
/// The accounts seam: <c>builder.Services.AddAccounts(configuration)</c> and <c>app.MapAccounts()</c>. Real
/// accounts (ASP.NET Core Identity, EF Core stores) on the items' database, the Identity cookie for browsers and
/// Identity's bearer tokens for scripts, the data-protection keys persisted beside them, and the /account
/// endpoints. The app calls <c>UseAuthentication()</c> before <c>MapSocketIO</c>, so the Socket.IO handshake
/// carries the signed-in user (<c>socket.User</c>) to the /item namespace.
/// </summary>
public static class Accounts
{
    /// <summary>The data-protection application name: every node (and every restart) must share it to read each other's cookies.</summary>
    public const string ApplicationName = "RealtimeApp";

    /// <summary>
    /// Registers Identity, the context, data protection and the schema step. Call after <c>AddItems</c>: the
    /// accounts live in the items' store (<c>Items:Store</c>, <c>ConnectionStrings:Items</c>), read from the same
    /// checked <see cref="ItemStoreOptions"/>.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        // First: hosted services start in registration order, and data protection's own hosted service (added
        // below) loads the key ring at start, from a table that must exist by then.
        services.AddHostedService<AccountsSchema>();
        services.AddDbContext<AccountsDbContext>((provider, db) =>
        {
            var store = provider.GetRequiredService<IOptions<ItemStoreOptions>>().Value;
            if (store.IsPostgres)
            {
                db.UseNpgsql(store.ConnectionString);
            }
            else
            {
                db.UseSqlite(store.ConnectionString);
            }
        });

        // Password rules, lockout and user rules from the "Identity" section (IdentityOptions), checked at start.
        services.AddOptions<IdentityOptions>().BindConfigurationChecked("Identity");
        services.AddSettingsValidator<IdentityOptions, IdentityOptionsValidator>();

        // The Identity cookie plus Identity's bearer-token scheme behind one composite default scheme, which
        // picks the bearer handler when a request has "Authorization: Bearer" and the cookie otherwise.
        services.AddIdentityApiEndpoints<BoardUser>().AddEntityFrameworkStores<AccountsDbContext>();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.HttpOnly = true;                              // no script reads it
            cookie.Cookie.SameSite = SameSiteMode.Lax;                  // not sent on cross-site subrequests and posts
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever served over HTTPS
            // A JSON API has no login page to redirect to: say 401 / 403.
            cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();

        // The keys that protect cookies and tokens, in the same database: the SQLite file (the data directory)
        // for one node, PostgreSQL for the cluster, so a restart signs nobody out and every node reads every
        // node's cookies. Without this they would be in the process's home folder, or in memory only.
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<AccountsDbContext>();

        return services;
    }

    /// <summary>Maps <c>/account/register</c>, <c>/account/login</c>, <c>/account/logout</c> and <c>/account/me</c>.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        AccountEndpoints.Map(endpoints);
        return endpoints;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
