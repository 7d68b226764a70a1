namespace RealtimeApp.SocketIO;

/// <summary>
/// Collects the answers of a broadcast with acks across nodes, as Node's <c>BroadcastOperator.emit</c> does:
/// complete once every node has said how many clients it reached and that many acks have arrived.
/// </summary>
internal sealed class BroadcastAckCollector
{
    private readonly List<SocketArguments> _responses = [];
    private int _expectedNodes = -1; // unknown until the node count is in
    private int _reportedNodes;
    private int _expectedClients;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many clients the broadcast reached, on the nodes that reported so far.</summary>
    public int ExpectedClients
    {
        get
        {
            lock (_responses)
            {
                return _expectedClients;
            }
        }
    }

    public SocketArguments[] Responses
    {
        get
        {
            lock (_responses)
            {
                return [.. _responses];
            }
        }
    }

    /// <summary>One node (this one included) reached <paramref name="clients"/> clients.</summary>
    public void OnClientCount(int clients)
    {
        lock (_responses)
        {
            _reportedNodes++;
            _expectedClients += clients;
            CheckCompleteness();
        }
    }

    public void OnAck(SocketArguments answer)
    {
        lock (_responses)
        {
            _responses.Add(answer);
            CheckCompleteness();
        }
    }

    public void SetNodeCount(int nodes)
    {
        lock (_responses)
        {
            _expectedNodes = nodes;
            CheckCompleteness();
        }
    }

    private void CheckCompleteness()
    {
        if (_expectedNodes >= 0 && _reportedNodes >= _expectedNodes && _responses.Count >= _expectedClients)
        {
            Done.TrySetResult();
        }
    }
}
