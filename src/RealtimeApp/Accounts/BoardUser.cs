using Microsoft.AspNetCore.Identity;

namespace RealtimeApp.Accounts;

/// <summary>
/// An account of the board. Its <see cref="IdentityUser.UserName"/> is the display name the board shows as an
/// item's owner and a bid's leader: items store that name as a string (as they did when names were
/// self-declared), so an account is what stands behind a name, and nothing else about items changes.
/// </summary>
public sealed class BoardUser : IdentityUser
{
}
