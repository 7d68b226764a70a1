namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// The refusal answer the library wrote itself before <see cref="SocketIOOptions.OnRefusal"/> (and the board
/// still writes): <c>{"ok":false,"error":{"code":…,"message":…}}</c>. Tests of the limits set it to read why.
/// </summary>
internal static class RefusalAnswers
{
    public static void OkFalse(SocketRefusal refusal) =>
        refusal.Ack?.Send(new { ok = false, error = new { code = refusal.Code, message = refusal.Message } });
}
