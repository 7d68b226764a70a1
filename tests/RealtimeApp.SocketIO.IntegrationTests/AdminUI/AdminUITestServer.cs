using RealtimeApp.SocketIO.AdminUI;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace RealtimeApp.SocketIO.IntegrationTests.AdminUI;

/// <summary>The integration test server with the admin UI on, behind basic auth (admin / <see cref="Password"/>).</summary>
internal static class AdminUITestServer
{
    public const string UserName = "admin";
    public const string Password = "s3cret";

    // Cost 4 (bcrypt's minimum): the tests check the comparison, not its cost.
    public static readonly string PasswordHash = BCrypt.Net.BCrypt.HashPassword(Password, 4);

    public static string Auth(string password = Password) =>
        $$"""{"username":"{{UserName}}","password":"{{password}}"}""";

    public static Task<SocketIOTestServer> StartAsync(Action<SocketIOAdminUIOptions>? configure = null) =>
        SocketIOTestServer.StartAsync(socketIO: b => b.AddSocketIOAdminUI(o =>
        {
            o.Enabled = true;
            o.UserName = UserName;
            o.PasswordHash = PasswordHash;
            configure?.Invoke(o);
        }));
}
