using System.Buffers;
using System.Text.Json;
using RealtimeApp.SocketIO.EngineIO.Protocol;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.Fuzz;

/// <summary>A target's own oracle failed (round trip, bound or allocation): a finding, like any other exception.</summary>
public sealed class FuzzFindingException(string message) : Exception(message);

/// <summary>
/// The fuzz targets, one per codec. Shared by the harness (fuzz/RealtimeApp.Fuzz, run under AFL++ by
/// fuzz/run.sh) and the unit tests (tests/RealtimeApp.SocketIO.Tests/Fuzzing), which replay every file of
/// fuzz/corpus and fuzz/regressions through the very same code.
/// <para>
/// The contract checked: any input either decodes or yields the codec's typed error
/// (<see cref="EngineDecodeError"/>, <see cref="SocketDecodeError"/>). None of these codecs documents a
/// thrown exception as a failure mode, so every exception that escapes a target is a finding: the harness
/// lets it propagate and the fuzzer records the input as a crash. Hangs are the fuzzer's timeout (-t).
/// </para>
/// </summary>
public static partial class FuzzTargets
{
    /// <summary>The targets by name, as given on the harness's command line and as corpus folder names.</summary>
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["engine-packet"] = EnginePacketTarget,
        ["payload-v4"] = PayloadV4Target,
        ["payload-v3-text"] = PayloadV3TextTarget,
        ["payload-v3-binary"] = PayloadV3BinaryTarget,
        ["socket-packet"] = SocketPacketTarget,
        ["msgpack-packet"] = MsgPackPacketTarget,
    };

    /// <summary>
    /// Runs <paramref name="target"/> on a private copy of <paramref name="input"/> (decoders work in place) and
    /// checks that the run allocated a bounded amount.
    /// <para>
    /// Unbounded allocation: a decoder that trusts a length or count read from the input (a v3 length
    /// prefix, an attachment count, …) would allocate far more than the input could justify. So the managed
    /// bytes this thread allocated during the run must stay within 1 MiB + 1 KiB per input byte: generous for
    /// everything the targets do (a parsed JSON tree and its round trip cost a few dozen bytes per input byte),
    /// tiny next to allocating from a hostile "9999999999". First calls also pay one-off type initialisation,
    /// so a run over the budget is repeated once and only a repeat over it is a finding.
    /// </para>
    /// </summary>
    public static void Run(string target, ReadOnlySpan<byte> input)
    {
        if (!All.TryGetValue(target, out var action))
        {
            throw new ArgumentException($"unknown fuzz target '{target}' (known: {string.Join(", ", All.Keys)})", nameof(target));
        }
        var budget = (1L << 20) + ((long)input.Length << 10);
        var allocated = Measure(action, input);
        if (allocated > budget && Measure(action, input) is var again && again > budget)
        {
            throw new FuzzFindingException($"{target}: allocated {again} bytes for {input.Length} input bytes (budget {budget})");
        }
    }

    private static long Measure(Action<byte[]> action, ReadOnlySpan<byte> input)
    {
        var copy = input.ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action(copy);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    // ---- Engine.IO single packets -------------------------------------------------------------------------

    /// <summary>
    /// The input as one WebSocket frame: a v4 text frame (<see cref="EnginePacketCodec.DecodeText"/>), a v4
    /// binary frame (<see cref="EnginePacketCodec.DecodeBinaryFrame"/>) and a v3 binary frame
    /// (<see cref="PayloadCodecV3.DecodeBinaryFrame"/>). Oracle: what decodes re-encodes to the same bytes.
    /// </summary>
    private static void EnginePacketTarget(byte[] input)
    {
        var error = EnginePacketCodec.DecodeText(input, out var text);
        CheckError(error);
        if (error == EngineDecodeError.None)
        {
            CheckType(text.Type);
            _ = text.IsProbe;
            Check(EnginePacket.Text(text.Type, text.Data.Span).Frame.Span.SequenceEqual(input), "v4 text frame does not re-encode to itself");
        }

        // v4 binary frame: the whole frame is the data; as a polling entry (b + base64) it decodes back to it.
        var binary = EnginePacketCodec.DecodeBinaryFrame(input);
        Check(binary.IsBinary && binary.Data.Length == input.Length, "v4 binary frame is not the whole frame");
        var segment = EnginePacket.Binary(binary.Data).PollingSegment.ToArray();
        var polled = new List<DecodedPacket>();
        Check(PayloadCodec.Decode(segment, polled) == EngineDecodeError.None && polled.Count == 1
            && polled[0].IsBinary && polled[0].Data.Span.SequenceEqual(input), "v4 binary frame does not survive polling's base64");

        error = PayloadCodecV3.DecodeBinaryFrame(input, out var v3);
        CheckError(error);
        if (error == EngineDecodeError.None)
        {
            CheckType(v3.Type);
            Check(v3.Data.Length == input.Length - 1, "v3 binary frame data is not the frame after its type byte");
            if (v3.Type == EnginePacketType.Message)
            {
                Check(EnginePacket.Binary(v3.Data).V3BinaryFrame.Span.SequenceEqual(input), "v3 binary frame does not re-encode to itself");
            }
        }
    }

    // ---- Engine.IO polling payloads ------------------------------------------------------------------------

    /// <summary>The input as a v4 polling POST body (<see cref="PayloadCodec.Decode"/>); oracle: decode → encode → decode.</summary>
    private static void PayloadV4Target(byte[] input)
    {
        var packets = new List<DecodedPacket>();
        var error = PayloadCodec.Decode(input, packets);
        CheckPackets(error, packets, input.Length);
        if (error != EngineDecodeError.None)
        {
            return;
        }
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodec.Encode(ToOutgoing(packets), writer);
        var again = new List<DecodedPacket>();
        Check(PayloadCodec.Decode(writer.WrittenSpan.ToArray(), again) == EngineDecodeError.None, "v4 payload re-encoding does not decode");
        CheckSame(packets, again, "v4 payload");
    }

    /// <summary>
    /// The input as a v3 text-framed polling body (<see cref="PayloadCodecV3.DecodeText"/>, which runs every entry
    /// through <see cref="PayloadCodecV3.DecodeTextEntry"/>); oracle: decode → encode → decode whenever the
    /// server could send those packets (it sends binary only as messages).
    /// </summary>
    private static void PayloadV3TextTarget(byte[] input)
    {
        var packets = new List<DecodedPacket>();
        var error = PayloadCodecV3.DecodeText(input, packets);
        CheckPackets(error, packets, input.Length);
        if (error != EngineDecodeError.None || !Encodable(packets))
        {
            return;
        }
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV3.EncodeText(ToOutgoing(packets), writer);
        var again = new List<DecodedPacket>();
        var reencoded = writer.WrittenSpan.ToArray();
        if (packets.Count == 0)
        {
            Check(reencoded.Length == 0, "an empty v3 payload re-encodes to bytes");
            return;
        }
        Check(PayloadCodecV3.DecodeText(reencoded, again) == EngineDecodeError.None, "v3 text payload re-encoding does not decode");
        CheckSame(packets, again, "v3 text payload");
    }

    /// <summary>The input as a v3 binary-framed (octet-stream) polling body (<see cref="PayloadCodecV3.DecodeBinary"/>); oracle as above.</summary>
    private static void PayloadV3BinaryTarget(byte[] input)
    {
        var packets = new List<DecodedPacket>();
        var error = PayloadCodecV3.DecodeBinary(input, packets);
        CheckPackets(error, packets, input.Length);
        if (error != EngineDecodeError.None || !Encodable(packets))
        {
            return;
        }
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV3.EncodeBinary(ToOutgoing(packets), writer);
        var again = new List<DecodedPacket>();
        Check(PayloadCodecV3.DecodeBinary(writer.WrittenSpan.ToArray(), again) == EngineDecodeError.None, "v3 binary payload re-encoding does not decode");
        CheckSame(packets, again, "v3 binary payload");
    }

    // ---- Socket.IO packets and binary attachments ----------------------------------------------------------

    /// <summary>Separates the Engine.IO messages of a socket-packet input.</summary>
    public const byte MessageSeparator = 0x00;

    /// <summary>Marks a message after the first as text rather than binary.</summary>
    public const byte TextMarker = 0x01;

    /// <summary>
    /// The input as the Engine.IO messages one connection receives, fed to <see cref="BinaryPacketAssembler"/>
    /// exactly as <c>SocketIOConnection.OnMessage</c> does (decode, collect attachments, check placeholders).
    /// Layout: messages separated by 0x00 (JSON text never holds a raw 0x00); the first is a text message,
    /// each later one a binary message (an attachment) unless it starts with 0x01, then it is a text message
    /// made of the rest. So <c>51-["e",{"_placeholder":true,"num":0}]\0BYTES</c> is a binary event and its
    /// attachment. Every complete packet then goes through what dispatching does with it (event name,
    /// arguments with placeholders replaced by their bytes, a v2 CONNECT's namespace query) and must
    /// survive encode → decode unchanged.
    /// </summary>
    private static void SocketPacketTarget(byte[] input)
    {
        var assembler = new BinaryPacketAssembler(SocketPacketCodec.DefaultMaxAttachments);
        var start = 0;
        for (var index = 0; start <= input.Length; index++)
        {
            var end = Array.IndexOf(input, MessageSeparator, start);
            if (end < 0)
            {
                end = input.Length;
            }
            var frame = input.AsMemory(start..end);
            var isText = index == 0 || (!frame.IsEmpty && frame.Span[0] == TextMarker);
            if (index > 0 && isText)
            {
                frame = frame[1..];
            }
            var error = assembler.Add(new DecodedPacket(EnginePacketType.Message, IsBinary: !isText, frame), out var packet);
            Check(Enum.IsDefined(error), $"undefined SocketDecodeError {(int)error}");
            if (error != SocketDecodeError.None)
            {
                return; // the connection closes on the first error
            }
            if (packet is not null)
            {
                Dispatch(packet, input.Length);
            }
            start = end + 1;
        }
    }

    private static void Dispatch(SocketPacket packet, int inputLength, bool textRoundTrip = true)
    {
        Check(Enum.IsDefined(packet.Type), $"undefined SocketPacketType {(int)packet.Type}");
        Check(packet.IsComplete && packet.AttachmentCount is >= 0 and <= SocketPacketCodec.DefaultMaxAttachments,
            $"packet dispatched with {packet.Attachments.Count} of {packet.AttachmentCount} attachments");
        Check(packet.Payload.Length <= inputLength && packet.Namespace.Length <= inputLength, "packet larger than its input");

        // Round trip: the text part re-encoded decodes to the same packet. (Not for the msgpack parser's packets: their
        // namespace may be any string, which the text form cannot carry, and their own round trip is checked.)
        if (textRoundTrip)
        {
            TextRoundTrip(packet);
        }
        DispatchPayload(packet);
    }

    private static void TextRoundTrip(SocketPacket packet)
    {
        var encoded = SocketPacketCodec.Encode(packet.Type, packet.Namespace, packet.AckId, packet.Payload.Span, packet.AttachmentCount);
        var error = SocketPacketCodec.Decode(encoded, out var again);
        Check(error == SocketDecodeError.None, $"re-encoded packet does not decode: {error}");
        Check(again!.Type == packet.Type && again.Namespace == packet.Namespace && again.AckId == packet.AckId
            && again.AttachmentCount == packet.AttachmentCount && again.Payload.Span.SequenceEqual(packet.Payload.Span),
            "re-encoded packet decodes differently");
    }

    private static void DispatchPayload(SocketPacket packet)
    {
        switch (packet.Type)
        {
            case SocketPacketType.Connect:
                // A protocol-4 (v2 client) CONNECT carries its auth as the namespace's query string.
                var (nsp, auth) = LegacyProtocol.SplitNamespace(packet.Namespace);
                Check(nsp.Length <= packet.Namespace.Length && auth.ValueKind == JsonValueKind.Object, "bad legacy namespace split");
                break;
            case SocketPacketType.Event or SocketPacketType.BinaryEvent:
                // As SocketContext.OnEvent: the name, then the arguments after it.
                var first = packet.Data!.Value[0];
                _ = first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
                UseArguments(new SocketArguments(packet, offset: 1));
                break;
            case SocketPacketType.Ack or SocketPacketType.BinaryAck:
                UseArguments(new SocketArguments(packet));
                break;
        }
    }

    private static void UseArguments(SocketArguments args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            _ = args.GetBytes(i);
        }
        _ = args.ToArray(); // placeholders replaced by their attachments (SocketPayload.Rehydrate)
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzFindingException(message);
        }
    }

    private static void CheckError(EngineDecodeError error) =>
        Check(Enum.IsDefined(error), $"undefined EngineDecodeError {(int)error}");

    private static void CheckType(EnginePacketType type) =>
        Check(Enum.IsDefined(type), $"undefined EnginePacketType {(int)type}");

    /// <summary>Bounds: every packet consumes at least one input byte and points inside the input.</summary>
    private static void CheckPackets(EngineDecodeError error, List<DecodedPacket> packets, int inputLength)
    {
        CheckError(error);
        Check(packets.Count <= inputLength, $"{packets.Count} packets from {inputLength} bytes");
        foreach (var packet in packets)
        {
            CheckType(packet.Type);
            Check(packet.Data.Length < inputLength, $"{packet.Data.Length} bytes of packet data from {inputLength} input bytes");
        }
    }

    /// <summary>The server sends binary only as messages, so only such payloads can be re-encoded.</summary>
    private static bool Encodable(List<DecodedPacket> packets) =>
        packets.TrueForAll(p => !p.IsBinary || p.Type == EnginePacketType.Message);

    private static List<EnginePacket> ToOutgoing(List<DecodedPacket> packets) =>
        packets.ConvertAll(p => p.IsBinary ? EnginePacket.Binary(p.Data.ToArray()) : EnginePacket.Text(p.Type, p.Data.Span));

    private static void CheckSame(List<DecodedPacket> expected, List<DecodedPacket> actual, string what)
    {
        Check(expected.Count == actual.Count, $"{what}: {expected.Count} packets decode to {actual.Count} after a round trip");
        for (var i = 0; i < expected.Count; i++)
        {
            Check(expected[i].Type == actual[i].Type && expected[i].IsBinary == actual[i].IsBinary
                && expected[i].Data.Span.SequenceEqual(actual[i].Data.Span), $"{what}: packet {i} changes in a round trip");
        }
    }
}
