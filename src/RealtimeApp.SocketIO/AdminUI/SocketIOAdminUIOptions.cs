namespace RealtimeApp.SocketIO.AdminUI;

/// <summary>
/// The server side of the official Socket.IO Admin UI (<c>@socket.io/admin-ui</c> 0.5.1): the options of Node's
/// <c>instrument(io, opts)</c>, bound from <c>SocketIO:AdminUI</c>.
/// </summary>
public sealed class SocketIOAdminUIOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string ConfigurationSection = "SocketIO:AdminUI";

    /// <summary>Whether the admin namespace is served. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Basic auth user name (Node's <c>auth.username</c>); used with <see cref="PasswordHash"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>
    /// Basic auth password as a bcrypt hash (Node's <c>auth.password</c>, e.g. from <c>htpasswd -bnBC 10 "" pw</c>).
    /// With neither this nor <see cref="AuthorizationPolicy"/>, the dashboard needs no credentials: allowed only
    /// when the host environment is Development.
    /// </summary>
    public string? PasswordHash { get; set; }

    /// <summary>An ASP.NET Core authorization policy the admin namespace requires instead of basic auth. Default none.</summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>No emit, join, leave or disconnect from the dashboard (Node's <c>readonly</c>). Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Development also sends every socket, event and room change to the dashboard (costly on a busy server);
    /// Production sends the 2-second statistics only. Default Development, as Node without NODE_ENV.
    /// </summary>
    public SocketIOAdminUIMode Mode { get; set; } = SocketIOAdminUIMode.Development;

    /// <summary>This server's name on the dashboard (Node's <c>serverId</c>). Default the host name.</summary>
    public string? ServerId { get; set; }

    /// <summary>The admin namespace. Default <c>/admin</c>.</summary>
    public string Namespace { get; set; } = "/admin";
}

/// <summary>What the admin namespace reports (Node's <c>mode</c>).</summary>
public enum SocketIOAdminUIMode
{
    /// <summary>Statistics plus every socket, event and room change.</summary>
    Development,

    /// <summary>Statistics only (<c>server_stats</c> every 2 seconds).</summary>
    Production,
}
