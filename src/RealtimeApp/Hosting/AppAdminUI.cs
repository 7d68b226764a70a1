using System.Net;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.AdminUI;

namespace RealtimeApp.Hosting;

/// <summary>
/// The official Socket.IO Admin UI, when <c>SocketIO:AdminUI:Enabled</c> is true: the library's admin namespace
/// (<c>AddSocketIOAdminUI</c>, settings in <c>SocketIO:AdminUI</c>) and the dashboard page at <c>/admin-ui/</c>,
/// both behind <c>Diagnostics:AllowedNetworks</c> as /debug is (loopback only by default). The page is
/// <c>@socket.io/admin-ui</c>'s static build, copied next to the app from npm at build (RealtimeApp.csproj),
/// with its CDN links (Google Fonts' Roboto, jsDelivr's Material Design Icons) pointed at copies served
/// here from npm (<c>@fontsource/roboto</c>, <c>@mdi/font</c>): the dashboard works offline and asks no third party.
/// </summary>
internal static class AppAdminUI
{
    public const string Path = "/admin-ui";

    private const string EnabledKey = SocketIOAdminUIOptions.ConfigurationSection + ":Enabled";

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledKey, defaultValue: false);

    public static ISocketIOBuilder AddAppAdminUI(this ISocketIOBuilder socketIO, IConfiguration configuration) =>
        IsEnabled(configuration) ? socketIO.AddSocketIOAdminUI() : socketIO;

    /// <summary>The page and its files at /admin-ui/, and the network check on the admin namespace.</summary>
    public static WebApplication MapAppAdminUI(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }
        var networks = AppDiagnostics.AllowedNetworks(app.Services);
        var options = app.Services.GetRequiredService<IOptions<SocketIOAdminUIOptions>>().Value;
        // The dashboard's socket comes through /socket.io, not /admin-ui: the same networks are checked at CONNECT.
        app.Services.GetRequiredService<SocketIOServer>().Of(options.Namespace).Use((socket, next) =>
            AppDiagnostics.IsAllowed(IPAddress.TryParse(socket.Handshake.Address, out var caller) ? caller : null, networks)
                ? next()
                : throw new ConnectionRefusedException("forbidden"));

        var root = System.IO.Path.Combine(AppContext.BaseDirectory, "admin-ui");
        var index = Rewrite(File.ReadAllText(System.IO.Path.Combine(root, "index.html")));
        // One route for /admin-ui and /admin-ui/ (routing ignores the trailing slash): the page's relative
        // links (js/, css/) need the slash, so the bare path is redirected.
        app.MapGet(Path, (HttpRequest request) => request.Path.Value!.EndsWith('/')
            ? Results.Content(index, "text/html; charset=utf-8")
            : Results.Redirect(Path + "/")).ExcludeFromDescription();
        app.MapGet(Path + "/index.html", () => Results.Content(index, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.UseStaticFiles(new StaticFileOptions { RequestPath = Path, FileProvider = new PhysicalFileProvider(root) });
        return app;
    }

    internal const string GoogleFonts = """<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto:100,300,400,500,700,900">""";
    internal const string MaterialDesignIcons = """<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@mdi/font@latest/css/materialdesignicons.min.css">""";

    /// <summary>index.html with its two CDN stylesheets replaced by the local copies; fails loudly if the build changed.</summary>
    internal static string Rewrite(string html)
    {
        if (!html.Contains(GoogleFonts, StringComparison.Ordinal) || !html.Contains(MaterialDesignIcons, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The admin UI's index.html no longer has the CDN links AppAdminUI rewrites: check the @socket.io/admin-ui version.");
        }
        var roboto = string.Concat(new[] { 100, 300, 400, 500, 700, 900 }.Select(w => $"""<link rel="stylesheet" href="roboto/{w}.css">"""));
        return html.Replace(GoogleFonts, roboto, StringComparison.Ordinal)
            .Replace(MaterialDesignIcons, """<link rel="stylesheet" href="mdi/css/materialdesignicons.min.css">""", StringComparison.Ordinal);
    }
}
