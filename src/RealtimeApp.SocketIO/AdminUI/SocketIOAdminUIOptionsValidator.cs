using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.SocketIO.AdminUI;

/// <summary>Refuses, at startup, admin UI settings that would fail at the first dashboard connection or open it to anyone.</summary>
internal sealed class SocketIOAdminUIOptionsValidator(IConfiguration? configuration = null, IHostEnvironment? environment = null)
    : SettingsValidator<SocketIOAdminUIOptions>(configuration)
{
    protected override void Check(SocketIOAdminUIOptions options, SettingProblems problems)
    {
        if (!options.Enabled)
        {
            return;
        }
        if (!Enum.IsDefined(options.Mode))
        {
            problems.Add(nameof(options.Mode), options.Mode.ToString(), "must be Development or Production");
        }
        if (string.IsNullOrWhiteSpace(options.Namespace) || !options.Namespace.StartsWith('/'))
        {
            problems.Add(nameof(options.Namespace), options.Namespace, "must be a namespace name starting with /, e.g. /admin");
        }
        if (options.PasswordHash is { Length: > 0 } hash)
        {
            // Node's instrument() throws at start on a hash bcrypt cannot read (getRounds): so do we.
            if (!IsBcryptHash(hash))
            {
                problems.Add(nameof(options.PasswordHash), "(hidden)", "must be a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters of salt and hash)");
            }
            if (string.IsNullOrEmpty(options.UserName))
            {
                problems.Add(nameof(options.UserName), options.UserName, "must be set with PasswordHash (basic auth)");
            }
            if (!string.IsNullOrEmpty(options.AuthorizationPolicy))
            {
                problems.Add(nameof(options.AuthorizationPolicy), options.AuthorizationPolicy, "must not be set with PasswordHash: choose basic auth or a policy");
            }
        }
        else if (string.IsNullOrEmpty(options.AuthorizationPolicy) && environment is not null && !environment.IsDevelopment())
        {
            // Node's auth:false: a dashboard anyone can open, which may disconnect every client.
            problems.Add(nameof(options.PasswordHash), null,
                $"must be set (with UserName), or AuthorizationPolicy: a dashboard without auth is allowed only in Development (environment is {environment.EnvironmentName})");
        }
    }

    internal static bool IsBcryptHash(string hash) =>
        hash.Length == 60 && hash[0] == '$' && hash[1] == '2' && hash[2] is 'a' or 'b' or 'y' && hash[3] == '$'
        && char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5]) && hash[6] == '$'
        && hash.AsSpan(7).IndexOfAnyExcept("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") < 0;
}
