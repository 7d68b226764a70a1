using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// Bidders placing bids steadily on a few items until stopped: each waits for its ack before the next bid, so at most one bid per bidder is ever in flight. Every attempt is recorded
/// (bidder, item, amount, answer) before it is sent. Amounts come from one counter, so no two attempts share
/// one: a bid in the store is traced to exactly one attempt. Most are accepted, some are refused
/// (bid_too_low when another bidder got there first).
/// </summary>
internal sealed class BidLoad
{
    private readonly ConcurrentQueue<BidAttempt> _attempts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _counter = 100;

    public IReadOnlyList<BidAttempt> Attempts => [.. _attempts];

    /// <summary>Starts one loop per bidder over <paramref name="itemIds"/>.</summary>
    public void Start(IReadOnlyList<ItemClient> bidders, IReadOnlyList<string> itemIds, TimeSpan ackWait)
    {
        for (var b = 0; b < bidders.Count; b++)
        {
            var bidder = bidders[b];
            var index = b;
            _loops.Add(Task.Run(async () =>
            {
                for (var n = 0; !_stop.IsCancellationRequested && bidder.Socket.Connected; n++)
                {
                    var amount = Interlocked.Increment(ref _counter) + index / 100m;
                    var attempt = new BidAttempt(bidder.Name, itemIds[(n + index) % itemIds.Count], amount);
                    _attempts.Enqueue(attempt);
                    try
                    {
                        attempt.Answer = await bidder.RequestAsync("item:bid", ackWait, new { itemId = attempt.ItemId, amount });
                    }
                    catch (Exception ex)
                    {
                        // No answer: the server went away (the client's transport says how: a timeout, a
                        // refused POST, a closed WebSocket). Whether it got the bid is what the store tells.
                        attempt.Failure = ex.GetType().Name;
                        return;
                    }
                    // About 16 bids a second per bidder: under the app's EventRateLimit (20/s), so refusals
                    // are the board's own, and many bids are in flight at any moment.
                    await Task.Delay(60);
                }
            }));
        }
    }

    /// <summary>Stops the loops and waits for them (a loop waiting for an ack ends at its ack wait).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    /// <summary>The bids table as the store holds it: (bidder, item, cents).</summary>
    public static HashSet<(string Bidder, string ItemId, long Cents)> ReadStoredBids(string databasePath)
    {
        var stored = new HashSet<(string, string, long)>();
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT bidder, item_id, cents FROM bids";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            stored.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return stored;
    }
}

/// <summary>One bid as sent; <see cref="Answer"/> stays null when no ack came.</summary>
internal sealed class BidAttempt(string bidder, string itemId, decimal amount)
{
    public string Bidder { get; } = bidder;

    public string ItemId { get; } = itemId;

    public decimal Amount { get; } = amount;

    public JsonElement? Answer { get; set; }

    /// <summary>Why the client got no answer (its exception's type), when it got none.</summary>
    public string? Failure { get; set; }

    public bool Accepted => Answer is { } a && a.GetProperty("ok").GetBoolean();

    public string? RefusedWith => Answer is { } a && !a.GetProperty("ok").GetBoolean()
        ? a.GetProperty("error").GetProperty("code").GetString() : null;

    public (string Bidder, string ItemId, long Cents) Key => (Bidder, ItemId, (long)(Amount * 100));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Bidder} {ItemId} {Amount}: {Answer?.GetRawText() ?? "no answer"}");
}
