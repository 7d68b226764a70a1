using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>The delegate form of the session handler (Engine.IO used alone) calls what was set, in order.</summary>
public sealed class EngineSessionCallbacksTests
{
    [Fact]
    public void Each_callback_is_called_with_the_session_event_and_several_of_one_kind_run_in_order()
    {
        var seen = new List<string>();
        IEngineSessionHandler handler = new EngineSessionCallbacks()
            .OnOpened(_ => seen.Add("opened"))
            .OnMessage((_, message) => seen.Add($"message {System.Text.Encoding.UTF8.GetString(message.Data.Span)}"))
            .OnMessage((_, _) => seen.Add("second listener"))
            .OnClosed((_, reason, description) => seen.Add($"closed {reason.ToWireString()} {description}"));

        handler.OnOpened(null!);
        handler.OnMessage(null!, new DecodedPacket(EnginePacketType.Message, false, "hi"u8.ToArray()));
        handler.OnClosed(null!, EngineCloseReason.TransportClose, "bye");

        Assert.Equal(["opened", "message hi", "second listener", "closed transport close bye"], seen);
    }

    [Fact]
    public void Unset_callbacks_are_no_ops()
    {
        IEngineSessionHandler handler = new EngineSessionCallbacks();

        handler.OnOpened(null!);
        handler.OnMessage(null!, new DecodedPacket(EnginePacketType.Message, true, new byte[] { 1 }));
        handler.OnClosed(null!, EngineCloseReason.PingTimeout, null);
    }
}
