namespace RealtimeApp.LoadGen.Cli;

/// <summary>
/// Size and length of the soak scenario (<c>soak-churn-N</c>): N clients churning for the duration. The defaults
/// are the 10,000 clients for 10 minutes, in every mode; <c>--soak-clients</c> and <c>--soak-seconds</c>
/// change them. The soak is part of <c>--full</c>, and of any mode when <c>--only</c> selects it; never of the
/// default quick set.
/// </summary>
/// <para><c>--soak-signed-in</c>: every client signs in (a bearer token from the host's <c>/token</c>, one user per
/// four client slots, so users have several tabs), so the churn also creates and empties user rooms and each
/// Engine.IO request goes through ASP.NET Core authentication. Ours only: the Node peer has no sign-in.</para>
internal sealed record SoakSettings(int Clients, TimeSpan Duration, bool SignedIn = false)
{
    public static readonly SoakSettings Default = new(10_000, TimeSpan.FromMinutes(10));

    /// <summary>
    /// The churn before the baseline (JIT, pools, the GC's budgets and the sessions table grown to the load): a
    /// tenth of the soak, between 15 and 30 seconds. Clients start over the first 5 s and a connection lives ~6 s,
    /// so 15 s reaches the steady number of open sessions.
    /// </summary>
    public TimeSpan WarmUp => TimeSpan.FromSeconds(Math.Clamp(Duration.TotalSeconds / 10, 15, 30));
}
