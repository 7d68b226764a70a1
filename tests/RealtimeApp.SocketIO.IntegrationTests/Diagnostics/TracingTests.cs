using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RealtimeApp.SocketIO.Diagnostics;
using RealtimeApp.SocketIO.IntegrationTests.Support;
using RealtimeApp.SocketIO;
using Tags = RealtimeApp.SocketIO.Diagnostics.SocketIOActivities.Tags;

namespace RealtimeApp.SocketIO.IntegrationTests.Diagnostics;

/// <summary>
/// The library's activities as a real client drives a real Kestrel: an in-memory listener on the source records
/// what stops. The listener is process-wide and other test classes run meanwhile, so only activities of this
/// test's own namespaces (unique names) and engine sessions are looked at.
/// </summary>
public sealed class TracingTests
{
    private const int RoomSize = 3;

    [Fact]
    public async Task Connection_join_events_acks_broadcasts_and_a_failing_handler_each_leave_a_tagged_activity()
    {
        var ns = $"/traced-{Guid.NewGuid():N}";
        var refusingNs = ns + "-closed";
        var faultyNs = ns + "-faulty";
        using var recorder = new ActivityRecorder();
        await using var server = await SocketIOTestServer.StartAsync();
        server.Io.Of(refusingNs).Use((_, _) => throw new ConnectionRefusedException("members only"));
        server.Io.Of(faultyNs).OnConnection(_ => throw new InvalidOperationException("listener exploded"));
        server.Io.Of(ns).OnConnection(socket =>
        {
            socket.On("echo", e => e.Ack?.Send(e.Arguments.ToArray()));
            socket.On("join", e =>
            {
                socket.Join("room");
                e.Ack?.Send();
            });
            socket.On("boom", _ => throw new InvalidOperationException("handler exploded"));
            socket.On("slow-boom", async _ =>
            {
                await Task.Delay(50);
                throw new InvalidOperationException("async handler exploded");
            });
        });

        var clients = new List<SocketIORawClient>();
        var socketIds = new List<string>();
        try
        {
            for (var i = 0; i < RoomSize; i++)
            {
                var client = await SocketIORawClient.OpenAsync(server);
                clients.Add(client);
                socketIds.Add(await ConnectAsync(client, ns));
                await client.SendTextAsync($"42{ns},1[\"join\"]");
                Assert.Equal($"43{ns},1[]", await client.ReceiveTextAsync());
            }
            var first = clients[0];
            var sids = clients.Select(c => c.EngineSid).ToHashSet();

            // Refused by a middleware in another namespace; the connection and its first namespace stay.
            await first.SendTextAsync($"40{refusingNs},");
            Assert.Equal($"44{refusingNs},{{\"message\":\"members only\"}}", await first.ReceiveTextAsync());
            // Joined, but its connection listener throws.
            await ConnectAsync(first, faultyNs);

            // An event with an ack.
            await first.SendTextAsync($"42{ns},7[\"echo\",\"hi\"]");
            Assert.Equal($"43{ns},7[\"hi\"]", await first.ReceiveTextAsync());

            // A broadcast to the room (N sockets).
            Assert.Equal(RoomSize, server.Io.Of(ns).To("room").Emit("news", 1));
            foreach (var client in clients)
            {
                Assert.Equal($"42{ns},[\"news\",1]", await client.ReceiveTextAsync());
            }

            // A server-sent ack the client answers, and one it never answers.
            var socket = server.Io.Of(ns).FindSocket(socketIds[0])!;
            var answered = socket.EmitWithAckAsync("question", ["q"], TimeSpan.FromSeconds(10));
            var question = await first.ReceiveTextAsync();
            var ackId = question[(ns.Length + 3)..question.IndexOf('[', StringComparison.Ordinal)];
            Assert.Equal($"42{ns},{ackId}[\"question\",\"q\"]", question);
            await first.SendTextAsync($"43{ns},{ackId}[\"yes\"]");
            Assert.Equal("yes", (await answered)[0].GetString());
            var unanswered = socket.EmitWithAckAsync("ignored", [], TimeSpan.FromMilliseconds(200));
            await first.ReceiveTextAsync();
            await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() => unanswered);

            // Handlers that throw, synchronously and after an await.
            await first.SendTextAsync($"42{ns},[\"boom\"]");
            await first.SendTextAsync($"42{ns},[\"slow-boom\"]");

            var mine = await recorder.WaitForAsync(a => sids.Contains(Tag(a, Tags.SessionId) ?? "")
                || (Tag(a, Tags.Namespace) ?? "").StartsWith(ns, StringComparison.Ordinal),
                found => found.Count(a => a.OperationName == SocketIOActivities.EventIn) >= RoomSize + 3
                    && found.Count(a => a.OperationName == SocketIOActivities.AckOut) == 2);

            AssertConnectionsOpened(mine, sids);
            AssertNamespaceJoins(mine, ns, refusingNs, faultyNs, socketIds);
            AssertEvents(mine, ns, socketIds[0]);
            AssertAcks(mine, ns, socketIds[0]);

            var broadcast = Assert.Single(mine, a => a.OperationName == SocketIOActivities.Broadcast);
            Assert.Equal($"broadcast {ns} news", broadcast.DisplayName);
            Assert.Equal(ActivityKind.Producer, broadcast.Kind);
            Assert.Equal(RoomSize, broadcast.GetTagItem(Tags.Recipients));
            Assert.Equal(new[] { "room" }, (string[])broadcast.GetTagItem(Tags.Rooms)!);
            Assert.Equal("news", Tag(broadcast, Tags.Event));
            Assert.Equal(ns, Tag(broadcast, Tags.Namespace));

            Assert.All(mine, a => Assert.True(a.Duration > TimeSpan.Zero, $"{a.DisplayName} lasted {a.Duration}"));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static void AssertConnectionsOpened(IReadOnlyList<Activity> mine, HashSet<string> sids)
    {
        var opened = mine.Where(a => a.OperationName == SocketIOActivities.ConnectionOpen).ToList();
        Assert.Equal(sids.Order(), opened.Select(a => Tag(a, Tags.SessionId)!).Order());
        Assert.All(opened, a =>
        {
            Assert.Equal("open websocket", a.DisplayName);
            Assert.Equal("websocket", Tag(a, Tags.Transport));
            Assert.Equal(4, a.GetTagItem(Tags.Protocol));
            Assert.Equal("127.0.0.1", Tag(a, Tags.ClientAddress));
            // A child of the handshake's HTTP request.
            Assert.NotNull(a.ParentId);
        });
    }

    private static void AssertNamespaceJoins(IReadOnlyList<Activity> mine, string ns, string refusingNs, string faultyNs,
        List<string> socketIds)
    {
        var joins = mine.Where(a => a.OperationName == SocketIOActivities.NamespaceConnect).ToList();
        var accepted = joins.Where(a => Tag(a, Tags.Namespace) == ns).ToList();
        Assert.Equal(socketIds.Order(), accepted.Select(a => Tag(a, Tags.SocketId)!).Order());
        Assert.All(accepted, a =>
        {
            Assert.Equal($"connect {ns}", a.DisplayName);
            Assert.Equal("accepted", Tag(a, Tags.ConnectResult));
            Assert.Null(a.GetTagItem(Tags.ConnectRefusal));
            AssertDetachedAndLinked(a);
        });
        var refused = Assert.Single(joins, a => Tag(a, Tags.Namespace) == refusingNs);
        Assert.Equal("refused", Tag(refused, Tags.ConnectResult));
        Assert.Equal("members only", Tag(refused, Tags.ConnectRefusal));
        Assert.NotNull(Tag(refused, Tags.SocketId));
        Assert.Equal(ActivityStatusCode.Unset, refused.Status);
        var faulty = Assert.Single(joins, a => Tag(a, Tags.Namespace) == faultyNs);
        Assert.Equal("accepted", Tag(faulty, Tags.ConnectResult));
        Assert.Equal(ActivityStatusCode.Error, faulty.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, Tag(faulty, Tags.ErrorType));
        Assert.Contains(faulty.Events, e => e.Name == "exception");
    }

    private static void AssertEvents(IReadOnlyList<Activity> mine, string ns, string firstSocket)
    {
        var events = mine.Where(a => a.OperationName == SocketIOActivities.EventIn).ToList();
        Assert.All(events, a =>
        {
            Assert.Equal(ns, Tag(a, Tags.Namespace));
            Assert.Equal(ActivityKind.Server, a.Kind);
            AssertDetachedAndLinked(a);
        });
        var echo = Assert.Single(events, a => Tag(a, Tags.Event) == "echo");
        Assert.Equal($"event {ns} echo", echo.DisplayName);
        Assert.Equal(firstSocket, Tag(echo, Tags.SocketId));
        Assert.Equal(true, echo.GetTagItem(Tags.AckRequested));
        Assert.Equal(ActivityStatusCode.Unset, echo.Status);
        Assert.Equal(RoomSize, events.Count(a => Tag(a, Tags.Event) == "join"));

        foreach (var (name, message) in new[] { ("boom", "handler exploded"), ("slow-boom", "async handler exploded") })
        {
            var failed = Assert.Single(events, a => Tag(a, Tags.Event) == name);
            Assert.Equal(ActivityStatusCode.Error, failed.Status);
            Assert.Equal(message, failed.StatusDescription);
            Assert.Equal(false, failed.GetTagItem(Tags.AckRequested));
            Assert.Equal(typeof(InvalidOperationException).FullName, Tag(failed, Tags.ErrorType));
            var exception = Assert.Single(failed.Events, e => e.Name == "exception");
            Assert.Equal(message, exception.Tags.Single(t => t.Key == "exception.message").Value);
        }
        // The async one's span covers the handler's completion, not just its start.
        Assert.True(events.Single(a => Tag(a, Tags.Event) == "slow-boom").Duration >= TimeSpan.FromMilliseconds(40));
    }

    private static void AssertAcks(IReadOnlyList<Activity> mine, string ns, string firstSocket)
    {
        var acks = mine.Where(a => a.OperationName == SocketIOActivities.AckOut).ToList();
        Assert.All(acks, a =>
        {
            Assert.Equal(ns, Tag(a, Tags.Namespace));
            Assert.Equal(firstSocket, Tag(a, Tags.SocketId));
            Assert.Equal(ActivityKind.Client, a.Kind);
        });
        var answered = Assert.Single(acks, a => Tag(a, Tags.Event) == "question");
        Assert.Equal($"emitWithAck {ns} question", answered.DisplayName);
        Assert.Equal("answered", Tag(answered, Tags.AckOutcome));
        Assert.Equal(ActivityStatusCode.Unset, answered.Status);
        var timedOut = Assert.Single(acks, a => Tag(a, Tags.Event) == "ignored");
        Assert.Equal("timeout", Tag(timedOut, Tags.AckOutcome));
        Assert.Equal(ActivityStatusCode.Error, timedOut.Status);
        Assert.Contains(timedOut.Events, e => e.Name == "exception");
        Assert.True(timedOut.Duration >= TimeSpan.FromMilliseconds(190), $"timed out after {timedOut.Duration}");
    }

    // No parent (the HTTP request would make one trace of the whole connection), a link to the request instead.
    private static void AssertDetachedAndLinked(Activity activity)
    {
        Assert.Null(activity.ParentId);
        Assert.Single(activity.Links);
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) as string;

    /// <summary>Joins <paramref name="ns"/> with a raw CONNECT; returns the socket id from the reply.</summary>
    private static async Task<string> ConnectAsync(SocketIORawClient client, string ns)
    {
        await client.SendTextAsync($"40{ns},");
        var reply = await client.ReceiveTextAsync();
        Assert.StartsWith($"40{ns},{{", reply);
        return JsonDocument.Parse(reply[(ns.Length + 3)..]).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>
    /// Records the library's activities as they stop. It also makes ASP.NET Core create its request activities
    /// (propagation only, nothing recorded), so the parents and links of the library's activities are real.
    /// </summary>
    private sealed class ActivityRecorder : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public ActivityRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is SocketIOActivities.SourceName or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.Source.Name == SocketIOActivities.SourceName
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.PropagationData,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == SocketIOActivities.SourceName)
                    {
                        _stopped.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<Activity, bool> mine, Func<IReadOnlyList<Activity>, bool> complete)
        {
            List<Activity> found = [];
            await SocketIOTestServer.WaitUntilAsync(() => complete(found = [.. _stopped.Where(mine)]), "the activities");
            return found;
        }

        public void Dispose() => _listener.Dispose();
    }
}
