using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using RealtimeApp.SocketIO.Diagnostics;
using RealtimeApp.SocketIO.Adapters;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>
/// An immutable broadcast target (Node's <c>BroadcastOperator</c>): each of <see cref="To"/>,
/// <see cref="Except"/>, <see cref="Volatile"/> and <see cref="Timeout"/> returns a new operator. A
/// broadcast encodes its packet once and hands the same bytes to every recipient.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly SocketNamespace _ns;
    private readonly BroadcastOptions _options;
    private readonly TimeSpan? _timeout;

    internal BroadcastOperator(SocketNamespace ns) : this(ns, new BroadcastOptions(), null)
    {
    }

    private BroadcastOperator(SocketNamespace ns, BroadcastOptions options, TimeSpan? timeout)
    {
        _ns = ns;
        _options = options;
        _timeout = timeout;
    }

    /// <summary>Adds target rooms (a socket in several of them still gets one copy).</summary>
    public BroadcastOperator To(params string[] rooms) =>
        new(_ns, _options with { Rooms = Union(_options.Rooms, rooms) }, _timeout);

    /// <summary>Same as <see cref="To"/>.</summary>
    public BroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Adds every socket of the signed-in user <paramref name="userId"/> (<see cref="SocketNamespace.ToUser"/>).</summary>
    public BroadcastOperator ToUser(string userId) => To(SocketIOServer.UserRoom(userId));

    /// <summary>Excludes every socket in any of <paramref name="rooms"/> (a socket id is a room).</summary>
    public BroadcastOperator Except(params string[] rooms) =>
        new(_ns, _options with { Except = Union(_options.Except, rooms) }, _timeout);

    /// <summary>Drops the packet for sockets whose transport cannot take it right now.</summary>
    public BroadcastOperator Volatile => new(_ns, _options with { Volatile = true }, _timeout);

    /// <summary>This node only (matters once a cluster adapter is used).</summary>
    public BroadcastOperator Local => new(_ns, _options with { Local = true }, _timeout);

    /// <summary>
    /// With false, the event goes uncompressed over WebSockets that negotiated permessage-deflate
    /// (<c>EngineIOOptions.PerMessageDeflate</c>), as Node's <c>compress(false)</c>; polling responses follow
    /// <c>HttpCompression</c> whatever this says. Default true.
    /// </summary>
    public BroadcastOperator Compress(bool compress) => new(_ns, _options with { Compress = compress }, _timeout);

    /// <summary>How long <c>EmitWithAckAsync</c> waits for every client's ack.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new(_ns, _options, timeout);

    /// <summary>Sends the event, with no arguments, to every target; returns how many sockets it was handed to.</summary>
    public int Emit(string eventName) => Emit(eventName, new NoArguments());

    /// <summary>Sends the event with <paramref name="arg"/>, written with <paramref name="typeInfo"/>, to every target.</summary>
    /// <returns>How many sockets it was handed to.</returns>
    public int Emit<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo) => Emit(eventName, new TypedArgument<T>(arg, typeInfo));

    /// <summary>Sends the event with arguments as a client sent them (binary included) to every target.</summary>
    /// <returns>How many sockets it was handed to.</returns>
    public int Emit(string eventName, SocketArguments args) => Emit(eventName, new ReceivedArguments(args));

    /// <summary>Sends the event to every target, each argument serialized as its runtime type; returns how many sockets it was handed to.</summary>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public int Emit(string eventName, params object?[] args) =>
        Emit(eventName, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)));

    private int Emit<TArgs>(string eventName, scoped TArgs args) where TArgs : IPayloadArguments, allows ref struct
    {
        ReservedEvents.Check(eventName);
        if (!SocketIOTracing.IsEnabled)
        {
            // The benchmarked path (broadcast to thousands): nothing of the trace's is touched.
            return _ns.Adapter.Broadcast(_ns.EventPacket(eventName, args, _options.Volatile), _options);
        }
        using var activity = SocketIOTracing.StartBroadcast(_ns.Name, eventName, _options.Rooms, _options.Except);
        try
        {
            var reached = _ns.Adapter.Broadcast(_ns.EventPacket(eventName, args, _options.Volatile), _options);
            SocketIOTracing.Recipients(activity, reached);
            return reached;
        }
        catch (Exception ex) when (SocketIOTracing.RecordAndRethrow(activity, ex))
        {
            throw; // not reached: the filter records and declines
        }
    }

    /// <summary>
    /// Sends the event to every target with one ack id and collects each client's ack (Node hands out the
    /// first argument of each; here <c>[0]</c> of each, with binary arguments readable too). Completes when
    /// every reached client answered.
    /// </summary>
    /// <exception cref="BroadcastAckTimeoutException">Not every client answered in time; carries the answers that came.</exception>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public Task<SocketArguments[]> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAck(eventName, new ObjectArguments(args, SocketPayload.WithPlaceholders(SocketPayload.DefaultOptions)));

    /// <summary>
    /// As <see cref="EmitWithAckAsync(string, object?[])"/> with one argument written with <paramref name="typeInfo"/>
    /// (trim- and AOT-safe); read each answer with <c>answer.Get(0, answerTypeInfo)</c>.
    /// </summary>
    /// <exception cref="BroadcastAckTimeoutException">Not every client answered in time; carries the answers that came.</exception>
    public Task<SocketArguments[]> EmitWithAckAsync<T>(string eventName, T arg, JsonTypeInfo<T> typeInfo) =>
        EmitWithAck(eventName, new TypedArgument<T>(arg, typeInfo));

    // Both packets are encoded here, before the first await (the arguments may live on the stack); a refusal
    // (reserved name, unserializable argument) still comes through the task, as from an async method.
    private Task<SocketArguments[]> EmitWithAck<TArgs>(string eventName, scoped TArgs args)
        where TArgs : IPayloadArguments, allows ref struct
    {
        try
        {
            ReservedEvents.Check(eventName);
            // The other nodes give each client an ack id of their own, so theirs goes without one.
            var remote = _options.Local ? null : OutgoingPacket.Event(_ns.Name, eventName, args);
            var id = _ns.NextAckId();
            return EmitWithAckAsync(eventName, remote, id, OutgoingPacket.Event(_ns.Name, eventName, args, id));
        }
        catch (Exception ex)
        {
            return Task.FromException<SocketArguments[]>(ex);
        }
    }

    private async Task<SocketArguments[]> EmitWithAckAsync(string eventName, OutgoingPacket? remote, long id, OutgoingPacket packet)
    {
        using var activity = SocketIOTracing.IsEnabled
            ? SocketIOTracing.StartBroadcast(_ns.Name, eventName, _options.Rooms, _options.Except)
            : null;
        var timeout = _timeout ?? _ns.Server.Options.DefaultAckTimeout;
        var collector = new BroadcastAckCollector();
        if (remote is not null)
        {
            _ns.Adapter.BroadcastWithRemoteAcks(new EncodedPacket(remote), _options, timeout,
                collector.OnClientCount, answer => collector.OnAck(answer.ToArguments(_ns.Name)));
        }

        var targets = FetchSockets();
        foreach (var socket in targets)
        {
            // A socket that leaves is still waited for, as Node does for a broadcast (its count was taken).
            socket.ExpectAck(id, answer =>
            {
                if (answer is not null)
                {
                    collector.OnAck(new SocketArguments(answer, offset: 0));
                }
            });
        }
        var reached = 0;
        foreach (var socket in targets)
        {
            if (socket.Deliver(packet, _options.Volatile, _options.Compress))
            {
                reached++;
            }
            else
            {
                socket.ForgetAck(id);
            }
        }
        collector.OnClientCount(reached);
        SocketIOTracing.Recipients(activity, reached);
        collector.SetNodeCount(_options.Local ? 1 : await NodeCountAsync());

        try
        {
            await collector.Done.Task.WaitAsync(timeout, _ns.Server.Time);
            SocketIOTracing.AckOutcome(activity, "answered");
        }
        catch (TimeoutException)
        {
            var timedOut = new BroadcastAckTimeoutException(collector.Responses, collector.ExpectedClients);
            SocketIOTracing.AckOutcome(activity, "timeout", timedOut);
            throw timedOut;
        }
        finally
        {
            foreach (var socket in targets)
            {
                socket.ForgetAck(id);
            }
        }
        return collector.Responses;
    }

    private async Task<int> NodeCountAsync()
    {
        try
        {
            return await _ns.Adapter.ServerCountAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The cluster cannot be asked (e.g. Redis is away): wait for this node's clients only.
            return 1;
        }
    }

    /// <summary>The targeted sockets on this node (see <see cref="FetchSocketsAsync"/> for the whole cluster).</summary>
    public IReadOnlyList<SocketContext> FetchSockets() =>
        [.. _ns.Adapter.Sockets(_options).Select(_ns.FindSocket).OfType<SocketContext>()];

    /// <summary>
    /// The targeted sockets on every node (Node's <c>fetchSockets</c>): this node's, then those the other
    /// nodes report (with a cluster adapter; unless <see cref="Local"/>).
    /// </summary>
    /// <exception cref="TimeoutException">A node did not answer within the adapter's request timeout.</exception>
    public async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync()
    {
        var local = FetchSockets().Select(s => new RemoteSocket(_ns, s.Id, s.Rooms, s.DataToJson(), s.Handshake.ToJson(), s)).ToList();
        if (_options.Local)
        {
            return local;
        }
        return [.. local, .. await _ns.Adapter.FetchRemoteSocketsAsync(_options)];
    }

    /// <summary>Makes every targeted socket join <paramref name="rooms"/>, on every node.</summary>
    public void SocketsJoin(params string[] rooms)
    {
        foreach (var id in _ns.Adapter.Sockets(_options))
        {
            _ns.Adapter.AddAll(id, rooms);
        }
        if (!_options.Local)
        {
            _ns.Adapter.AddRemoteSockets(_options, rooms);
        }
    }

    /// <summary>Makes every targeted socket leave <paramref name="rooms"/>, on every node.</summary>
    public void SocketsLeave(params string[] rooms)
    {
        foreach (var id in _ns.Adapter.Sockets(_options))
        {
            foreach (var room in rooms)
            {
                _ns.Adapter.Delete(id, room);
            }
        }
        if (!_options.Local)
        {
            _ns.Adapter.DeleteRemoteSockets(_options, rooms);
        }
    }

    /// <summary>Disconnects every targeted socket, on every node (and its whole connection when <paramref name="close"/>).</summary>
    public void DisconnectSockets(bool close = false)
    {
        foreach (var socket in FetchSockets())
        {
            socket.Disconnect(close);
        }
        if (!_options.Local)
        {
            _ns.Adapter.DisconnectRemoteSockets(_options, close);
        }
    }

    private static HashSet<string> Union(IReadOnlySet<string> existing, string[] more)
    {
        var set = new HashSet<string>(existing, StringComparer.Ordinal);
        set.UnionWith(more);
        return set;
    }
}

/// <summary>A broadcast with acks timed out; <see cref="Responses"/> holds the answers that did arrive.</summary>
public sealed class BroadcastAckTimeoutException(SocketArguments[] responses, int expected)
    : SocketIOAckTimeoutException
{
    /// <summary>The ack of each client that answered in time.</summary>
    public SocketArguments[] Responses { get; } = responses;

    /// <summary>How many clients the broadcast reached.</summary>
    public int Expected { get; } = expected;
}
