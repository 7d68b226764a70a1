using System.Text.Json;

namespace RealtimeApp.SocketIO.Redis.Cluster;

/// <summary>The message types of socket.io-adapter 2.5's <c>ClusterAdapter</c> (its <c>MessageType</c>, same numbers).</summary>
internal enum ClusterMessageType
{
    InitialHeartbeat = 1,
    Heartbeat = 2,
    Broadcast = 3,
    SocketsJoin = 4,
    SocketsLeave = 5,
    DisconnectSockets = 6,
    FetchSockets = 7,
    FetchSocketsResponse = 8,
    ServerSideEmit = 9,
    ServerSideEmitResponse = 10,
    BroadcastClientCount = 11,
    BroadcastAck = 12,
    AdapterClose = 13,
}

/// <summary>
/// One message between the nodes of a cluster adapter, as socket.io-adapter's <c>ClusterAdapter</c> shapes it:
/// <c>{uid, nsp, type, data}</c>. The sharded and streams adapters share this model and differ only in how they
/// carry it (<see cref="ClusterMessageCodec"/>). <see cref="Data"/> is kept as UTF-8 JSON in which binary values
/// are Socket.IO placeholders into <see cref="Attachments"/>, the form the library's packets already have, so
/// a broadcast's arguments pass through without being rebuilt.
/// </summary>
internal sealed class ClusterMessage
{
    public required string Uid { get; init; }

    public required string Nsp { get; init; }

    public required ClusterMessageType Type { get; init; }

    /// <summary>The <c>data</c> object as JSON; empty when the message has none (heartbeats).</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The bytes the placeholders in <see cref="Data"/> point to.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; init; } = [];

    /// <summary>Whether Node would see binary in it (then it travels as msgpack).</summary>
    public bool HasBinary => Attachments.Count > 0;

    /// <summary>The types that may carry binary (Node's <c>mayContainBinary</c> list).</summary>
    public bool MayContainBinary => Type is ClusterMessageType.Broadcast or ClusterMessageType.FetchSocketsResponse
        or ClusterMessageType.ServerSideEmit or ClusterMessageType.ServerSideEmitResponse or ClusterMessageType.BroadcastAck;

    /// <summary>The types that answer a request (they go to the requester only).</summary>
    public bool IsResponse => Type is ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse
        or ClusterMessageType.BroadcastClientCount or ClusterMessageType.BroadcastAck;

    /// <summary>The data, parsed (the caller disposes it); an empty object when there is none.</summary>
    public JsonDocument ParseData() => JsonDocument.Parse(Data.IsEmpty ? "{}"u8.ToArray() : Data);
}
