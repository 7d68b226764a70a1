using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace RealtimeApp.SocketIO;

// Per-namespace authorization with ASP.NET Core's own policies, evaluated at CONNECT against the socket's
// user (the engine handshake's HttpContext.User). One engine connection may hold several namespaces, so an
// endpoint convention (RequireAuthorization on MapSocketIO) cannot tell /admin from /: this can, and a refusal
// costs the client that namespace only, as a middleware refusal does. Modelled on endpoint authorization
// (RequireAuthorization with policy names or a policy; several calls all apply) and on SignalR's [Authorize]
// on a hub.
public sealed partial class SocketNamespace
{
    private AuthorizeAttribute[] _authorizeData = [];
    private AuthorizationPolicy[] _policies = [];

    /// <summary>
    /// Requires the socket's user (<see cref="SocketContext.User"/>) to satisfy every named policy (none named:
    /// the default policy, an authenticated user), checked with the app's <see cref="IAuthorizationService"/>
    /// at each CONNECT, before the middlewares (<see cref="Use"/>) and also for a recovered socket. The
    /// socket is passed as the resource, so a requirement handler can read its namespace and handshake. A
    /// refusal is a <c>connect_error</c> for this namespace only: <c>"unauthorized"</c> with
    /// <c>data: { code: "unauthorized" }</c> when nobody signed in, <c>"forbidden"</c> with
    /// <c>data: { code: "forbidden" }</c> when the user is signed in but a policy fails. Without a call, anyone
    /// may join. Needs <c>services.AddAuthorization()</c>; without it every CONNECT is refused and logged as an error.
    /// </summary>
    public SocketNamespace RequireAuthorization(params string[] policyNames)
    {
        ArgumentNullException.ThrowIfNull(policyNames);
        AuthorizeAttribute[] added = policyNames.Length == 0 ? [new AuthorizeAttribute()] : [.. policyNames.Select(n => new AuthorizeAttribute(n))];
        _authorizeData = [.. _authorizeData, .. added];
        return this;
    }

    /// <summary>Requires the socket's user to satisfy <paramref name="policy"/>; see <see cref="RequireAuthorization(string[])"/>.</summary>
    public SocketNamespace RequireAuthorization(AuthorizationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policies = [.. _policies, policy];
        return this;
    }

    private bool RequiresAuthorization => _authorizeData.Length > 0 || _policies.Length > 0;

    /// <returns>null when the user may join (or nothing is required); otherwise the CONNECT_ERROR to send.</returns>
    private async Task<(string Message, JsonElement? Data)?> AuthorizeAsync(SocketContext socket)
    {
        if (!RequiresAuthorization)
        {
            return null;
        }
        try
        {
            // A scope per CONNECT: requirement handlers are often scoped (a DbContext, the user store).
            await using var scope = Server.CreateScope();
            var services = scope.ServiceProvider;
            if (services.GetService<IAuthorizationService>() is not { } authorization
                || services.GetService<IAuthorizationPolicyProvider>() is not { } policies)
            {
                throw new InvalidOperationException($"The namespace {Name} requires authorization but the authorization services "
                    + "are not registered: call builder.Services.AddAuthorization() (with the policies it names).");
            }
            // As the AuthorizationMiddleware combines an endpoint's [Authorize] data and policies (an unknown
            // policy name throws here, and is logged below).
            var policy = await AuthorizationPolicy.CombineAsync(policies, _authorizeData, _policies);
            var result = await authorization.AuthorizeAsync(socket.User, socket, policy!);
            if (result.Succeeded)
            {
                return null;
            }
        }
        catch (Exception ex)
        {
            // The app's setup is wrong (no AddAuthorization, a policy that does not exist, a handler that
            // throws): said loudly, and nobody is let in by a check that could not run.
            Server.Log.AuthorizationFailed(Name, socket.Id, ex);
            return ("server error", ErrorCode("server_error"));
        }
        return socket.User.Identity?.IsAuthenticated == true
            ? ("forbidden", ErrorCode("forbidden"))
            : ("unauthorized", ErrorCode("unauthorized"));
    }

    // {"code": ...}: the shape the official client reads as err.data.code (the app's own refusals use it too).
    private static JsonElement ErrorCode(string code)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("code"u8, code);
            json.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
