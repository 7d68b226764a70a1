using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using RealtimeApp.SocketIO.EngineIO;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// The limits <see cref="EngineIOOptions"/> must keep for the engine to honour them. Without this check a value
/// such as <c>SocketIO__PingInterval=1000</c> (1000 days) started fine and then failed every session at open.
/// </summary>
internal sealed class EngineIOOptionsValidator(IConfiguration? configuration = null) : SettingsValidator<EngineIOOptions>(configuration)
{
    /// <summary>
    /// The longest heartbeat a JavaScript client can honour: engine.io-client arms one
    /// <c>setTimeout(pingInterval + pingTimeout)</c>, and a JavaScript timer above 2^31-1 ms fires at once
    /// (Node's own server timers do the same), so the client would drop every session as "ping timeout".
    /// </summary>
    public static readonly TimeSpan MaxHeartbeat = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>A permit every 100 ns: the limiter's replenishment period is a TimeSpan, and 0 ticks is refused.</summary>
    public const double MaxHandshakesPerSecond = TimeSpan.TicksPerSecond;

    /// <summary>
    /// About a permit every 49.7 days (1 / 4294967.294 s, rounded up so the line shows the bound exactly): each
    /// bucket replenishes on a timer of that period, and a longer one is past what a timer honours.
    /// </summary>
    public const double MinHandshakesPerSecond = 0.000000233;

    protected override void Check(EngineIOOptions options, SettingProblems problems)
    {
        // Node's engine.io requires nothing of PingInterval against PingTimeout (either may be the larger, and
        // it checks neither); only what the timers on both ends can honour is checked here.
        const string heartbeat = "the client waits PingInterval + PingTimeout with a JavaScript timer, which fires at once past 2^31-1 ms";
        problems.TimeSpanBetween(nameof(options.PingInterval), options.PingInterval, SettingProblems.MinTimer, MaxHeartbeat, heartbeat);
        problems.TimeSpanBetween(nameof(options.PingTimeout), options.PingTimeout, SettingProblems.MinTimer, MaxHeartbeat, heartbeat);
        var sum = options.PingInterval + options.PingTimeout;
        if (options.PingInterval <= MaxHeartbeat && options.PingTimeout <= MaxHeartbeat && sum > MaxHeartbeat)
        {
            problems.AddLine($"{problems.Key(nameof(options.PingInterval))} + {problems.Key(nameof(options.PingTimeout))} = "
                + $"{SettingProblems.Format(sum)}: must be at most {SettingProblems.Format(MaxHeartbeat)} ({heartbeat}; {SettingProblems.TimeSpanSyntax})");
        }
        problems.Timer(nameof(options.UpgradeTimeout), options.UpgradeTimeout);
        problems.Timer(nameof(options.CloseTimeout), options.CloseTimeout);
        problems.TimeSpanBetween(nameof(options.DrainTimeout), options.DrainTimeout, TimeSpan.Zero, SettingProblems.MaxTimer);

        problems.Between(nameof(options.MaxHttpBufferSize), options.MaxHttpBufferSize, 1, Array.MaxLength,
            "a message is read into one byte array");
        problems.AtLeast(nameof(options.HttpCompressionThreshold), options.HttpCompressionThreshold, 0);
        problems.AtLeast(nameof(options.MaxBufferedPackets), options.MaxBufferedPackets, 1, "0 would close every session at its first packet");
        if (options.Transports == 0 || (options.Transports & ~EngineTransports.All) != 0)
        {
            problems.Add(nameof(options.Transports), options.Transports, "must be Polling, WebSocket or both (\"Polling, WebSocket\")");
        }
        problems.LimitWhenSet(nameof(options.MaxSessions), options.MaxSessions);
        if (options.HandshakeRateLimit is { } limit)
        {
            RateLimit(problems, nameof(options.HandshakeRateLimit), limit, MinHandshakesPerSecond, MaxHandshakesPerSecond);
        }
        if (options.Cookie is { } cookie)
        {
            CheckCookie(problems, cookie);
        }
        CheckAllowedOrigins(problems, options);
    }

    private static void CheckAllowedOrigins(SettingProblems problems, EngineIOOptions options)
    {
        var origins = options.AllowedOrigins ?? [];
        for (var i = 0; i < origins.Count; i++)
        {
            // "*" would turn the check off while it looks on; a path never matches an Origin header.
            if (EngineServer.NormalizeOrigin(origins[i]) is null)
            {
                problems.Add($"{nameof(options.AllowedOrigins)}:{i}", origins[i],
                    "must be an origin: http:// or https://, a host and an optional port, no path (e.g. https://app.example.com); "
                    + "to accept any origin leave CheckWebSocketOrigin off");
            }
        }
        if (origins.Count > 0 && !options.CheckWebSocketOrigin)
        {
            // Listing origins and believing WebSockets are protected, while nothing checks them.
            problems.Add(nameof(options.CheckWebSocketOrigin), options.CheckWebSocketOrigin,
                $"must be true when {problems.Key(nameof(options.AllowedOrigins))} is set (the list is used only by the origin check)");
        }
    }

    /// <summary>A token bucket: a finite rate within [<paramref name="min"/>, <paramref name="max"/>], a burst of at least one.</summary>
    internal static void RateLimit(SettingProblems problems, string property, RateLimitOptions limit, double min, double max)
    {
        if (!double.IsFinite(limit.PermitsPerSecond) || !(limit.PermitsPerSecond > 0) || limit.PermitsPerSecond < min || limit.PermitsPerSecond > max)
        {
            problems.Add($"{property}:{nameof(limit.PermitsPerSecond)}", limit.PermitsPerSecond, min > 0
                ? $"must be a number between {SettingProblems.Format(min)} and {SettingProblems.Format(max)}"
                : $"must be a finite number above 0");
        }
        problems.AtLeast($"{property}:{nameof(limit.Burst)}", limit.Burst, 1, "a bucket that holds no permit refuses everything");
    }

    private static void CheckCookie(SettingProblems problems, EngineCookieOptions cookie)
    {
        // Response.Cookies.Append throws for a name that is not an RFC 6265 token, at every handshake.
        if (string.IsNullOrEmpty(cookie.Name) || !cookie.Name.All(IsTokenChar))
        {
            problems.Add("Cookie:Name", cookie.Name, "must be a non-empty cookie name (letters, digits and !#$%&'*+-.^_`|~)");
        }
        if (string.IsNullOrEmpty(cookie.Path) || cookie.Path[0] != '/' || cookie.Path.Any(c => c == ';' || char.IsControl(c)))
        {
            problems.Add("Cookie:Path", cookie.Path, "must be a non-empty path starting with / (no ; or control characters)");
        }
        if (!Enum.IsDefined(cookie.SameSite))
        {
            problems.Add("Cookie:SameSite", cookie.SameSite, $"must be one of {string.Join(", ", Enum.GetNames<SameSiteMode>())}");
        }
    }

    private static bool IsTokenChar(char c) =>
        c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c);
}
