using Microsoft.AspNetCore.Identity;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Accounts;

/// <summary>
/// The <c>Identity</c> section must describe rules an account can meet and a lockout that protects: checked at
/// start with the app's other settings (one line per problem, exit code 2), not found out at the first sign-in.
/// </summary>
internal sealed class IdentityOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<IdentityOptions>(configuration)
{
    protected override void Check(IdentityOptions options, SettingProblems problems)
    {
        // Identity's hasher takes any length; 128 keeps a typo (1000) from locking everyone out of registering.
        problems.Between("Password:RequiredLength", options.Password.RequiredLength, 1, 128);
        problems.Between("Password:RequiredUniqueChars", options.Password.RequiredUniqueChars, 1, Math.Max(1, options.Password.RequiredLength));
        problems.Between("Lockout:MaxFailedAccessAttempts", options.Lockout.MaxFailedAccessAttempts, 1, 1000);
        problems.TimeSpanBetween("Lockout:DefaultLockoutTimeSpan", options.Lockout.DefaultLockoutTimeSpan,
            TimeSpan.FromSeconds(1), TimeSpan.FromDays(365));
    }
}
