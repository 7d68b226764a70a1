namespace RealtimeApp.SocketIO.Protocol;

/// <summary>Socket.IO protocol v5 packet types (socket.io-protocol v5 "Packet format").</summary>
internal enum SocketPacketType : byte
{
    /// <summary>Client: join a namespace (optional auth object). Server: accepted (<c>{"sid":...}</c>).</summary>
    Connect = 0,
    /// <summary>Leave a namespace (no payload).</summary>
    Disconnect = 1,
    /// <summary><c>[eventName, ...args]</c>, optional ack id.</summary>
    Event = 2,
    /// <summary><c>[...args]</c> answering an ack id.</summary>
    Ack = 3,
    /// <summary>Server refuses a namespace (<c>{"message":...,"data":...}</c>).</summary>
    ConnectError = 4,
    /// <summary>EVENT with binary attachments.</summary>
    BinaryEvent = 5,
    /// <summary>ACK with binary attachments.</summary>
    BinaryAck = 6,
}

/// <summary>Why text could not be read as a Socket.IO packet; each one closes the connection, as Node does.</summary>
internal enum SocketDecodeError
{
    /// <summary>No error.</summary>
    None,
    /// <summary>Empty packet or a first character that is not a type digit 0-6.</summary>
    UnknownType,
    /// <summary>A BINARY_* attachment count that is not digits followed by <c>-</c>.</summary>
    InvalidAttachmentCount,
    /// <summary>More attachments than allowed (default 10, as socket.io-parser's maxAttachments).</summary>
    TooManyAttachments,
    /// <summary>An ack id that is not a non-negative integer that fits in 53 bits (a JS safe integer).</summary>
    InvalidAckId,
    /// <summary>The payload is not valid JSON, or the packet is not valid UTF-8, or a string escape in it is a lone surrogate.</summary>
    InvalidJson,
    /// <summary>Valid JSON of the wrong shape for the packet type (e.g. EVENT that is not a non-empty array).</summary>
    InvalidPayload,
    /// <summary>An EVENT named like a reserved event (<c>connect</c>, <c>disconnect</c>, …).</summary>
    ReservedEventName,
    /// <summary>A text packet arrived while binary attachments were still expected.</summary>
    UnexpectedText,
    /// <summary>A binary message arrived when no attachment was expected.</summary>
    UnexpectedBinary,
    /// <summary>A placeholder whose <c>num</c> is not a valid attachment index.</summary>
    InvalidPlaceholder,
    /// <summary>msgpack parser: bytes that are not one msgpack map (truncated, trailing bytes, nested too deep).</summary>
    InvalidMsgPack,
    /// <summary>msgpack parser: a packet without a string <c>nsp</c>.</summary>
    InvalidNamespace,
    /// <summary>msgpack parser: a value with no JSON meaning (an extension type other than notepack's own).</summary>
    UnsupportedValue,
}
