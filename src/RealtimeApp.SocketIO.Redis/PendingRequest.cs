using System.Text.Json;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>A request to the other nodes waiting for one answer from each of <c>expected</c> nodes.</summary>
internal sealed class PendingRequest(int expected)
{
    private readonly List<JsonElement> _responses = [];

    /// <summary>Completes when every expected answer is in.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(JsonElement response)
    {
        lock (_responses)
        {
            _responses.Add(response);
            if (_responses.Count >= expected)
            {
                Done.TrySetResult();
            }
        }
    }

    /// <summary>The answers so far (a copy).</summary>
    public List<JsonElement> Responses
    {
        get
        {
            lock (_responses)
            {
                return [.. _responses];
            }
        }
    }
}
