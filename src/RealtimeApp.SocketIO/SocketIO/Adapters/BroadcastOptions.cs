using System.Collections.Frozen;

namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// Who a broadcast reaches (socket.io-adapter's <c>BroadcastOptions</c>): the union of the members of
/// <see cref="Rooms"/> (every socket of the namespace when empty), minus every member of any
/// <see cref="Except"/> room, each socket once.
/// </summary>
public sealed record BroadcastOptions
{
    /// <summary>Target rooms; empty means the whole namespace.</summary>
    public IReadOnlySet<string> Rooms { get; init; } = FrozenSet<string>.Empty;

    /// <summary>Rooms whose members are excluded.</summary>
    public IReadOnlySet<string> Except { get; init; } = FrozenSet<string>.Empty;

    /// <summary>Drop the packet for sockets that cannot take it right now instead of queueing it.</summary>
    public bool Volatile { get; init; }

    /// <summary>
    /// False to send the event uncompressed over WebSockets with permessage-deflate negotiated (Node's
    /// <c>compress(false)</c>). Default true. Honoured on this node; cluster adapters may not carry it.
    /// </summary>
    public bool Compress { get; init; } = true;

    /// <summary>This node only (no cluster publish), for adapters that span nodes.</summary>
    public bool Local { get; init; }
}
