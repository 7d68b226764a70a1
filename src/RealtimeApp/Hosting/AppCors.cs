using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.Hosting;

/// <summary>
/// One CORS policy for every browser-facing endpoint (the realtime endpoint now, the HTTP API later),
/// its origins from configuration (<c>Cors:Origins</c>). Credentials are allowed, so origins are echoed
/// exactly — a wildcard is not possible with credentials, which Socket.IO clients may send.
/// </summary>
public static class AppCors
{
    /// <summary>The policy name endpoints require.</summary>
    public const string Policy = "app";

    /// <summary>Registers <see cref="Policy"/> with the origins of <c>Cors:Origins</c> (none allowed when empty).</summary>
    public static IServiceCollection AddAppCors(this IServiceCollection services, IConfiguration configuration)
    {
        // The origins are checked at start (AppCorsOptionsValidator) and read when the CORS options are first
        // created, after that check.
        services.AddOptions<AppCorsOptions>().BindConfigurationChecked("Cors");
        services.AddSettingsValidator<AppCorsOptions, AppCorsOptionsValidator>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<AppCorsOptions>>((cors, app) => cors.AddPolicy(Policy, p => p
            .WithOrigins(app.Value.Origins)
            .AllowCredentials()
            .AllowAnyHeader()
            .WithMethods("GET", "POST")));
        return services;
    }
}
