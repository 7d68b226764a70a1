using System.Net.Sockets;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>What the soak's clients count (see <see cref="SoakRun"/>).</summary>
internal enum SoakCount
{
    /// <summary>Sessions opened: WebSocket clients joined to <c>/</c>, plus polling handshakes.</summary>
    Connects,
    WebSocketConnects,
    PollingSessions,
    /// <summary>Connect → work → leave cycles finished (whatever their outcome).</summary>
    Cycles,
    /// <summary>Every ack the clients got (join, echo, ask, roomcast; polling echoes too).</summary>
    Acks,
    EchoAcks,
    /// <summary>The server's own emit-with-ack (<c>ask</c>) answered by a client.</summary>
    AsksAnswered,
    /// <summary>Room broadcasts (<c>r</c>) received from other clients' <c>roomcast</c>.</summary>
    RoomMessages,
    /// <summary>Connections held ~30 s, so heartbeats run during the churn.</summary>
    LongHolds,
    LeftClean,
    LeftEngineClose,
    LeftAbort,
    LeftAbortMidAck,
    LeftSilent,
    /// <summary>Silent clients the server timed out and closed, as it must.</summary>
    SilentTimedOut,
    PollingClosed,
    PollingAbandoned,
}

/// <summary>
/// State shared by the clients of one soak phase (warm-up or soak): the target, the connect gate, counters,
/// failure counters with their first reason, latency histograms and the stop signal.
/// </summary>
internal sealed class SoakRun : IDisposable
{
    /// <summary>
    /// Connects in flight across all clients, as in <see cref="Connector"/>: it stays under Kestrel's listen backlog
    /// (512), so no SYN is dropped and retried a second later; the closed loop then adapts to the server's pace.
    /// </summary>
    public const int ConnectsInFlight = 200;

    private readonly long[] _counts = new long[Enum.GetValues<SoakCount>().Length];
    private readonly CancellationTokenSource _stop = new();

    private readonly string[]? _authorizationHeaders;

    /// <param name="bearerTokens">With them, every WebSocket connect signs in as one of them (picked at random per
    /// cycle) and the polling sessions as the first.</param>
    public SoakRun(ClientTarget target, int clients, string[]? bearerTokens = null)
    {
        Target = target;
        _authorizationHeaders = bearerTokens?.Select(token => $"Authorization: Bearer {token}\r\n").ToArray();
        // About ten clients per room name; each client joins one or two, so rooms are created and emptied all the time.
        RoomNames = Math.Max(1, clients / 10);
        Http = new HttpClient(new SocketsHttpHandler
        {
            // Polling requests go out from the rotating loopback sources too, closing with RST (no TIME_WAIT).
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = ClientSockets.Create();
                try
                {
                    await socket.ConnectAsync(Target.Server, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (bearerTokens is [var first, ..])
        {
            Http.DefaultRequestHeaders.Authorization = new("Bearer", first);
        }
    }

    /// <summary>The header line a WebSocket connect sends to sign in ("Authorization: Bearer …\r\n"), or null.</summary>
    public string? NextAuthorizationHeader() =>
        _authorizationHeaders is { Length: > 0 } headers ? headers[Random.Shared.Next(headers.Length)] : null;

    public ClientTarget Target { get; }

    /// <summary>Rooms are <c>room-0</c> … <c>room-(RoomNames-1)</c>.</summary>
    public int RoomNames { get; }

    /// <summary>For the polling cycles.</summary>
    public HttpClient Http { get; }

    public SemaphoreSlim ConnectGate { get; } = new(ConnectsInFlight);

    /// <summary>Echo emit → its ack (WebSocket and polling).</summary>
    public LatencyHistogram AckLatency { get; } = new();

    /// <summary>TCP connect → the Socket.IO CONNECT reply (WebSocket clients; the gate wait not included).</summary>
    public LatencyHistogram ConnectLatency { get; } = new();

    public LossCounter ConnectFailures { get; } = new("connects failed");

    public LossCounter AckTimeouts { get; } = new("acks not received in time");

    public LossCounter UnexpectedCloses { get; } = new("connections closed by the server unasked");

    public LossCounter ProtocolErrors { get; } = new("unexpected packets");

    public LossCounter CloseNotConfirmed { get; } = new("closes not completed by the server in time");

    public LossCounter AskTimeouts { get; } = new("server-side acks (ask) answered 'timeout'");

    public LossCounter PollingFailures { get; } = new("polling cycles failed");

    public IEnumerable<LossCounter> FailureCounters =>
        [ConnectFailures, AckTimeouts, UnexpectedCloses, ProtocolErrors, CloseNotConfirmed, AskTimeouts, PollingFailures];

    public long Failures => FailureCounters.Sum(counter => counter.Count);

    public CancellationToken Stopping => _stop.Token;

    public bool IsStopping => _stop.IsCancellationRequested;

    public long this[SoakCount count] => Interlocked.Read(ref _counts[(int)count]);

    public void Count(SoakCount count) => Interlocked.Increment(ref _counts[(int)count]);

    /// <summary>Every client finishes its cycle (leaving as it had drawn) and does not come back.</summary>
    public void Stop() => _stop.Cancel();

    public Dictionary<string, double> Counts() =>
        Enum.GetValues<SoakCount>().ToDictionary(count => char.ToLowerInvariant(count.ToString()[0]) + count.ToString()[1..],
            count => (double)this[count]);

    public void Dispose()
    {
        Http.Dispose();
        _stop.Dispose();
        ConnectGate.Dispose();
    }
}
