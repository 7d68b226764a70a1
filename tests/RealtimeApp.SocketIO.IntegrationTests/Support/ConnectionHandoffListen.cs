using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// The test servers listen as the app does, with <c>UseSocketIOConnectionHandoff</c> (the WebSocket leaves
/// Kestrel's HTTP layer), unless a test asks for the WebSocket middleware path.
/// </summary>
internal static class ConnectionHandoffListen
{
    public static ListenOptions UseConnectionHandoffIf(this Microsoft.AspNetCore.Connections.IConnectionBuilder listen, bool handoff) =>
        handoff ? ((ListenOptions)listen).UseSocketIOConnectionHandoff() : (ListenOptions)listen;
}
