namespace RealtimeApp.SocketIO.EngineIO.Protocol;

/// <summary>Engine.IO packet types and their wire digits (engine.io-protocol v4, "Packet encoding").</summary>
public enum EnginePacketType : byte
{
    /// <summary>Server → client handshake, JSON payload.</summary>
    Open = 0,
    /// <summary>Either side: the transport (and session) is closing.</summary>
    Close = 1,
    /// <summary>v4: server → client heartbeat; <c>2probe</c> client → server during upgrade.</summary>
    Ping = 2,
    /// <summary>v4: client → server heartbeat answer; <c>3probe</c> server → client during upgrade.</summary>
    Pong = 3,
    /// <summary>Application data, text or binary.</summary>
    Message = 4,
    /// <summary>Client → server over the new WebSocket: switch the session to it.</summary>
    Upgrade = 5,
    /// <summary>Server → client: releases a pending poll (during upgrade or close).</summary>
    Noop = 6,
}
