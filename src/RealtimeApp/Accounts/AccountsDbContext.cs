using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace RealtimeApp.Accounts;

/// <summary>
/// The one EF Core context of the app: Identity's tables (AspNetUsers, …) and the data-protection key ring
/// (DataProtectionKeys), on the same database as the items (the SQLite file, or the cluster's PostgreSQL).
/// Keeping the keys next to the accounts means a restart, or another node of the cluster, reads the very keys
/// that protected a cookie or a bearer token, so nobody is signed out by a deploy. The item tables are not
/// part of this model: the item stores own them (plain SQL), and <see cref="AccountsSchema"/> only ever creates
/// this model's tables.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<BoardUser>(options), IDataProtectionKeyContext
{
    /// <inheritdoc />
    public DbSet<DataProtectionKey> DataProtectionKeys { get; set; } = null!;
}
