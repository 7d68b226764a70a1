namespace RealtimeApp.LoadGen.Cli;

/// <summary>
/// Durations and sizes of a run. Quick must finish in under 3 minutes on the 2-core box (N ≤ 5k, one repetition,
/// short windows); full runs every size of perf-anchors Part C with 5 interleaved repetitions.
/// </summary>
internal sealed record ModeSettings(
    string Name,
    int Reps,
    Phase Ack,
    Phase PipelinedAck,
    Phase Broadcast,
    Phase Polling,
    TimeSpan IdleHold,
    int[] IdleCounts,
    int[] BroadcastCounts,
    int[] BroadcastDepths,
    int ConnectCount,
    int[] ClusterCounts,
    int[] ClusterDepths)
{
    // The ack scenarios keep the 3 s + 5 s of the plan. The others are trimmed to fit 3 minutes: the pipelined and
    // broadcast hot paths run at 10⁵ operations/s and reach tier-1 code within 2 s; polling needs its 2 s too (1 s left
    // ours measuring JIT work), and every handshake leaves a session on the server, so its window stays short.
    public static readonly ModeSettings Quick = new(
        "quick", Reps: 1,
        Ack: new(WarmUp: Seconds(3), Window: Seconds(5)),
        PipelinedAck: new(WarmUp: Seconds(2), Window: Seconds(5)),
        Broadcast: new(WarmUp: Seconds(2), Window: Seconds(4)),
        Polling: new(WarmUp: Seconds(2), Window: Seconds(4)),
        IdleHold: Seconds(10), IdleCounts: [1000, 5000],
        BroadcastCounts: [1000, 5000], BroadcastDepths: [8], ConnectCount: 2000,
        ClusterCounts: [2000], ClusterDepths: [8]);

    // Idle holds 60 s so that at least two 25 s ping rounds happen. Polling warm-up + window stay ≤ 10 s because
    // every handshake leaves a session on the server for ~45 s.
    public static readonly ModeSettings Full = new(
        "full", Reps: 5,
        Ack: new(WarmUp: Seconds(8), Window: Seconds(10)),
        PipelinedAck: new(WarmUp: Seconds(8), Window: Seconds(10)),
        Broadcast: new(WarmUp: Seconds(8), Window: Seconds(10)),
        Polling: new(WarmUp: Seconds(2), Window: Seconds(8)),
        IdleHold: Seconds(60), IdleCounts: [1000, 5000, 10000, 19000],
        BroadcastCounts: [1000, 5000, 10000], BroadcastDepths: [1, 8], ConnectCount: 10000,
        ClusterCounts: [2000, 10000], ClusterDepths: [8]);

    private static TimeSpan Seconds(int seconds) => TimeSpan.FromSeconds(seconds);
}

/// <summary>Warm-up (JIT, tiered PGO, pools) then the measurement window.</summary>
internal sealed record Phase(TimeSpan WarmUp, TimeSpan Window);
