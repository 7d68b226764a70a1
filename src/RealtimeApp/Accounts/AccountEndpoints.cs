using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using RealtimeApp.Hosting;
using RealtimeApp.Items;
using RealtimeApp.SocketIO;

namespace RealtimeApp.Accounts;

/// <summary>
/// The account endpoints, thin JSON wrappers over Identity's <see cref="UserManager{TUser}"/> and
/// <see cref="SignInManager{TUser}"/> (which own the hashing, lockout and security stamp; nothing here touches a
/// password beyond passing it on). A sign-in sets the Identity cookie, or with <c>?useCookies=false</c> answers a
/// bearer token as <c>MapIdentityApi</c>'s login does (<c>{ tokenType, accessToken, expiresIn, refreshToken }</c>),
/// for scripts that send <c>Authorization: Bearer …</c> on their Socket.IO requests.
/// </summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account").RequireCors(AppCors.Policy);
        account.MapGet("/me", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";   // per user, per moment: never from a cache
            return Results.Ok(Me(http.User.Identity));
        });
        // Every POST changes who is signed in: same-origin only (SameOriginFilter runs before the body is read).
        var writes = account.MapGroup("").AddEndpointFilter<SameOriginFilter>();
        writes.MapPost("/register", RegisterAsync);
        writes.MapPost("/login", LoginAsync);
        writes.MapPost("/logout", LogoutAsync);
    }

    private static AccountView Me(System.Security.Principal.IIdentity? identity) =>
        identity?.IsAuthenticated == true ? new AccountView(true, identity.Name) : new AccountView(false, null);

    /// <summary>Creates the account (its name is the board's display name), then signs it in.</summary>
    private static async Task<IResult> RegisterAsync(HttpContext http, bool? useCookies,
        UserManager<BoardUser> users, SignInManager<BoardUser> signIn)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Invalid("expects {\"userName\": string, \"password\": string}");
        }
        // The name is shown on items and bids: the board's own rule (1-40 characters, no control characters)
        // first; Identity then keeps it unique (case-insensitively, so "Olga" cannot pose as "olga").
        // Trimmed, as the board always kept names: " olga" is not a second "olga".
        var name = input.UserName.Trim();
        if (ItemRules.ValidateName(name) is { } problem)
        {
            return Invalid(problem);
        }
        var user = new BoardUser { UserName = name };
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            var taken = created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName));
            return Results.Json(new AccountError(taken ? AccountErrorCodes.NameTaken : AccountErrorCodes.InvalidInput,
                    string.Join(" ", created.Errors.Select(e => e.Description)),
                    [.. created.Errors.Select(e => new AccountProblem(e.Code, e.Description))]),
                statusCode: taken ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        UseScheme(signIn, useCookies);
        await signIn.SignInAsync(user, isPersistent: true);
        return SignedIn(useCookies, user.UserName);
    }

    /// <summary>Checks the password (a wrong one counts towards the lockout), then signs in.</summary>
    private static async Task<IResult> LoginAsync(HttpContext http, bool? useCookies, SignInManager<BoardUser> signIn)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Invalid("expects {\"userName\": string, \"password\": string}");
        }
        UseScheme(signIn, useCookies);
        // Found by its normalized name (any case), so the answer shows the account's own spelling.
        var user = await signIn.UserManager.FindByNameAsync(input.UserName.Trim());
        var result = user is null
            ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, input.Password, isPersistent: true, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return SignedIn(useCookies, user!.UserName);
        }
        return result.IsLockedOut
            ? Results.Json(new AccountError(AccountErrorCodes.LockedOut, "too many failed sign-ins: the account is locked for a while"),
                statusCode: StatusCodes.Status403Forbidden)
            : result.IsNotAllowed
                ? Results.Json(new AccountError(AccountErrorCodes.NotAllowed, "this account may not sign in"), statusCode: StatusCodes.Status403Forbidden)
                : Results.Json(new AccountError(AccountErrorCodes.InvalidCredentials, "unknown name or wrong password"),
                    statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>
    /// Removes the cookie and disconnects every /item socket of the user (every tab, on every node: the user
    /// room goes through the cluster adapter), so a signed-out browser cannot go on bidding on a socket opened
    /// while it was signed in. A bearer token cannot be taken back; it ends at its expiry.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, SignInManager<BoardUser> signIn, SocketIOServer io)
    {
        var userId = signIn.UserManager.GetUserId(http.User);
        await signIn.SignOutAsync();
        if (userId is not null)
        {
            // Once the response (and its cookie removal) has gone out: a disconnected tab of the same browser asks
            // /account/me at once, and before the browser has the expired cookie it would still be signed in there
            // (the cookie itself stays valid until it expires) and stay on as that user.
            http.Response.OnCompleted(() =>
            {
                io.Of(ItemEvents.Namespace).ToUser(userId).DisconnectSockets(close: true);
                return Task.CompletedTask;
            });
        }
        return Results.Ok(new AccountView(false, null));
    }

    // Cookie by default; the bearer scheme's sign-in writes the token JSON as the response itself.
    private static void UseScheme(SignInManager<BoardUser> signIn, bool? useCookies) =>
        signIn.AuthenticationScheme = useCookies == false ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme;

    private static IResult SignedIn(bool? useCookies, string? name) =>
        useCookies == false ? Results.Empty : Results.Ok(new AccountView(true, name));

    private static IResult Invalid(string message) =>
        Results.Json(new AccountError(AccountErrorCodes.InvalidInput, message), statusCode: StatusCodes.Status400BadRequest);

    /// <summary>The JSON body with both fields as strings, or null (a refusal, not an exception, for anything else).</summary>
    private static async Task<AccountRequest?> ReadAsync(HttpContext http)
    {
        if (!http.Request.HasJsonContentType())
        {
            return null;
        }
        try
        {
            var body = await http.Request.ReadFromJsonAsync<JsonElement>(http.RequestAborted);
            return body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("userName", out var name) && name.ValueKind == JsonValueKind.String
                && body.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String
                    ? new AccountRequest(name.GetString()!, password.GetString()!)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
