using System.Diagnostics;
using RealtimeApp.LoadGen.Measure;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// Connects many clients with a bounded number of connects in flight. Each client's receive loop starts as soon as
/// it is connected, so clients answer pings while the others are still connecting.
/// </summary>
internal static class Connector
{
    public const int DefaultInFlight = 200;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static Task<ClientSet> ConnectAsync(
        ClientTarget target,
        int count,
        int inFlight,
        int receiveBufferSize,
        Func<WsConnection, int, PacketSink> sinkFor,
        LatencyHistogram? connectTimes = null) =>
        ConnectAsync(_ => target, count, inFlight, receiveBufferSize, sinkFor, connectTimes);

    /// <param name="targetFor">Where client i connects (the cluster rows spread the clients over the nodes).</param>
    public static async Task<ClientSet> ConnectAsync(
        Func<int, ClientTarget> targetFor,
        int count,
        int inFlight,
        int receiveBufferSize,
        Func<WsConnection, int, PacketSink> sinkFor,
        LatencyHistogram? connectTimes = null)
    {
        var set = new ClientSet(count);
        var next = -1;

        async Task ConnectSomeAsync()
        {
            while (Interlocked.Increment(ref next) is var index && index < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var timeout = new CancellationTokenSource(ConnectTimeout);
                    var connection = await WsConnection.ConnectAsync(targetFor(index), receiveBufferSize, timeout.Token);
                    connectTimes?.RecordTicks(Stopwatch.GetTimestamp() - started);
                    set.Connections[index] = connection;
                    connection.Start(sinkFor(connection, index));
                }
                catch (Exception e)
                {
                    set.OnFailure(e);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(inFlight, count))).Select(_ => ConnectSomeAsync()));
        await SocketThread.Leave();
        return set;
    }
}

/// <summary>The clients of one measurement; disposing closes them all (abortively).</summary>
internal sealed class ClientSet(int count) : IDisposable
{
    private int _failures;
    private string? _firstError;

    /// <summary>Null where the connect failed.</summary>
    public WsConnection?[] Connections { get; } = new WsConnection?[count];

    public int Failures => Volatile.Read(ref _failures);

    public string? FirstError => Volatile.Read(ref _firstError);

    public int Connected => Connections.Length - Failures;

    public int Open
    {
        get
        {
            var open = 0;
            foreach (var connection in Connections)
            {
                if (connection is { IsOpen: true })
                {
                    open++;
                }
            }
            return open;
        }
    }

    public void OnFailure(Exception error)
    {
        Interlocked.Increment(ref _failures);
        Interlocked.CompareExchange(ref _firstError, $"{error.GetType().Name}: {error.Message}", null);
    }

    /// <summary>A note for the sample when some connects failed.</summary>
    public string? FailureNote => Failures > 0 ? $"{Failures} of {Connections.Length} connects failed (first: {FirstError})" : null;

    public void Dispose()
    {
        foreach (var connection in Connections)
        {
            connection?.Dispose();
        }
    }
}
