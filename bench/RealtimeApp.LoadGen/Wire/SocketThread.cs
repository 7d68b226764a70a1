using System.Runtime.CompilerServices;

namespace RealtimeApp.LoadGen.Wire;

/// <summary>
/// With inline socket completions (see Program.cs) the code after an awaited socket operation runs on the
/// runtime's single epoll thread, and anything slow or blocking there stalls every connection: pings go
/// unanswered, latencies grow. Orchestration code that awaited sockets (connects, HTTP to /stats) leaves that
/// thread through here; only the per-packet handlers stay on it, by design.
/// </summary>
internal static class SocketThread
{
    /// <summary>Continues on the thread pool (no synchronization context here, so Task.Yield posts to the pool).</summary>
    public static YieldAwaitable Leave() => Task.Yield();
}
