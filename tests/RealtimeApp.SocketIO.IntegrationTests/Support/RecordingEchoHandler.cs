using System.Collections.Concurrent;
using RealtimeApp.SocketIO.EngineIO;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>
/// The Engine.IO reference echo behaviour (every message sent back as received, text and binary), plus a
/// record of what the server saw, so tests can assert on both sides of the wire.
/// </summary>
internal sealed class RecordingEchoHandler : IEngineSessionHandler
{
    public ConcurrentDictionary<string, EngineSession> Open { get; } = new();

    public ConcurrentQueue<(string Sid, EngineCloseReason Reason, string? Description)> Closed { get; } = new();

    public ConcurrentQueue<string> Opened { get; } = new();

    public void OnOpened(EngineSession session)
    {
        Open[session.Id] = session;
        Opened.Enqueue(session.Id);
    }

    public void OnMessage(EngineSession session, DecodedPacket message) =>
        session.Send(message.IsBinary
            ? EnginePacket.Binary(message.Data.ToArray())
            : EnginePacket.Message(message.Data.Span));

    public void OnClosed(EngineSession session, EngineCloseReason reason, string? description)
    {
        Open.TryRemove(session.Id, out _);
        Closed.Enqueue((session.Id, reason, description));
    }

    /// <summary>Waits until the server has closed <paramref name="sid"/> and returns why.</summary>
    public async Task<(EngineCloseReason Reason, string? Description)> WaitForCloseAsync(string sid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var closed in Closed)
            {
                if (closed.Sid == sid)
                {
                    return (closed.Reason, closed.Description);
                }
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"session {sid} was not closed by the server");
    }
}
