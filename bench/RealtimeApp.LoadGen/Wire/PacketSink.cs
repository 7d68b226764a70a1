namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// What a scenario does with the Socket.IO packets one connection receives. One object per connection holds
/// that connection's state, so the hot path is a virtual call with no closure and no allocation.
/// </summary>
internal abstract class PacketSink
{
    /// <summary>
    /// A Socket.IO packet with its Engine.IO <c>4</c> prefix, e.g. <c>43</c>7<c>["x"]</c> (the ceiling's raw
    /// frames have the same shape). <paramref name="receivedAt"/> is the <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp of the read that brought it in. The span is only valid during the call.
    /// </summary>
    public abstract void OnPacket(WsConnection connection, ReadOnlySpan<byte> packet, long receivedAt);

    /// <summary>The connection ended without us closing it (server close, reset, protocol error).</summary>
    public virtual void OnLost(WsConnection connection, string reason)
    {
    }
}

/// <summary>For clients that only hold a connection: packets are ignored, pings are answered by the connection.</summary>
internal sealed class IgnoringSink : PacketSink
{
    public static readonly IgnoringSink Instance = new();

    public override void OnPacket(WsConnection connection, ReadOnlySpan<byte> packet, long receivedAt)
    {
    }
}
