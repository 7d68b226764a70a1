using System.Text.Json;

namespace RealtimeApp.SocketIO.Protocol;

/// <summary>
/// A decoded incoming Socket.IO packet. <see cref="Payload"/> keeps the exact UTF-8 JSON text as received
/// (so an echo is byte-for-byte the same, as the protocol suites check) and <see cref="Data"/> is its
/// parsed form. For BINARY_* packets the placeholders stay in the JSON; the bytes are in
/// <see cref="Attachments"/> at the placeholder's <c>num</c>.
/// </summary>
internal sealed class SocketPacket
{
    /// <summary>The packet type.</summary>
    public required SocketPacketType Type { get; init; }

    /// <summary>The namespace, <c>/</c> when the packet names none.</summary>
    public required string Namespace { get; init; }

    /// <summary>The ack id, when the sender wants an answer (EVENT) or answers one (ACK).</summary>
    public long? AckId { get; init; }

    /// <summary>The exact JSON payload as received (empty when there is none).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The parsed payload, when there is one.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>Number of binary attachments announced (BINARY_* only).</summary>
    public int AttachmentCount { get; init; }

    /// <summary>The attachments, in placeholder order; complete once <see cref="IsComplete"/>.</summary>
    public List<ReadOnlyMemory<byte>> Attachments { get; } = [];

    /// <summary>True when every announced attachment has arrived.</summary>
    public bool IsComplete => Attachments.Count == AttachmentCount;
}
