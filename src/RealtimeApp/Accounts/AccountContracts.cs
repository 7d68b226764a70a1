using System.Text.Json.Serialization;

namespace RealtimeApp.Accounts;

/// <summary>The body of <c>POST /account/register</c> and <c>POST /account/login</c>.</summary>
public sealed record AccountRequest(string UserName, string Password);

/// <summary>What <c>GET /account/me</c> (and a cookie sign-in) answers.</summary>
public sealed record AccountView(bool SignedIn, string? Name);

/// <summary>
/// An account refusal: <c>{ code, message }</c>, plus Identity's own <c>errors</c> (code and description of each
/// rule the password or name broke) when a registration is refused.
/// </summary>
public sealed record AccountError(string Code, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AccountProblem>? Errors = null);

/// <summary>One of Identity's errors (e.g. <c>PasswordTooShort</c>).</summary>
public sealed record AccountProblem(string Code, string Description);

/// <summary>The <c>code</c> values of <see cref="AccountError"/>.</summary>
public static class AccountErrorCodes
{
    /// <summary>Unknown name or wrong password (never says which).</summary>
    public const string InvalidCredentials = "invalid_credentials";
    /// <summary>Too many wrong passwords (<c>Identity:Lockout</c>): refused until the lockout ends, even with the right one.</summary>
    public const string LockedOut = "locked_out";
    /// <summary>Missing or malformed fields, a name the board refuses, a password Identity's rules refuse.</summary>
    public const string InvalidInput = "invalid_input";
    /// <summary>The name belongs to another account (names are unique, case-insensitively).</summary>
    public const string NameTaken = "name_taken";
    /// <summary>The account may not sign in (e.g. a confirmation is required).</summary>
    public const string NotAllowed = "not_allowed";
    /// <summary>A state-changing request from another site (<see cref="SameOriginFilter"/>).</summary>
    public const string CrossSite = "cross_site";
}
