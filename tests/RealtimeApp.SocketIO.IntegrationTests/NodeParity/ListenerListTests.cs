using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.NodeParity;

/// <summary>
/// The listener lists as Node's EventEmitter keeps them: order, prepend, removal by the delegate given (typed
/// overloads too), the most recent registration first for <c>Off</c> and the first for <c>OffAny</c>.
/// </summary>
public sealed class ListenerListTests
{
    [Fact]
    public async Task Listener_lists_keep_Nodes_order_and_removal_rules()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await SocketIORawClient.OpenAsync(server);
        var (_, sid) = await client.ConnectNamespaceAsync();
        var socket = server.Socket(sid);
        socket.RemoveAllListeners(); // the test server's own handlers
        socket.OffAny();

        Func<SocketEvent, Task> a = _ => Task.CompletedTask, b = _ => Task.CompletedTask;
        Action<SocketEvent> sync = _ => { };
        Func<Bid, SocketAck?, Task> typed = (_, _) => Task.CompletedTask;
        socket.On("e", a).On("e", sync).On("e", a).On<Bid>("e", typed);
        Assert.Equal(new Delegate[] { a, sync, a, typed }, socket.Listeners("e"));
        socket.Off("e", a); // the most recent registration of a, as Node's removeListener
        Assert.Equal(new Delegate[] { a, sync, typed }, socket.Listeners("e"));
        socket.Off("e", typed).Off("e", sync).Off("e", b); // b was never added: nothing happens
        Assert.Equal(new Delegate[] { a }, socket.Listeners("e"));
        socket.On("other", b).RemoveAllListeners("e");
        Assert.Empty(socket.Listeners("e"));
        Assert.Equal(new Delegate[] { b }, socket.Listeners("other"));

        socket.OnAny(a).OnAny(b).OnAny(a).PrependAny(b);
        Assert.Equal([b, a, b, a], socket.ListenersAny());
        socket.OffAny(a); // the first registration, as Node's offAny
        Assert.Equal([b, b, a], socket.ListenersAny());
        socket.OffAny();
        Assert.Empty(socket.ListenersAny());

        Action<string, SocketArguments> x = (_, _) => { }, y = (_, _) => { };
        socket.OnAnyOutgoing(x).PrependAnyOutgoing(y);
        Assert.Equal([y, x], socket.ListenersAnyOutgoing());
        socket.OffAnyOutgoing(y);
        Assert.Equal([x], socket.ListenersAnyOutgoing());
        socket.OffAnyOutgoing();
        Assert.Empty(socket.ListenersAnyOutgoing());

        Action<Exception> onError = _ => { };
        socket.On("error", a).OnError(onError);
        // One "error" list as in Node: the socket's error listeners, then listeners of a client event so named.
        Assert.Equal(new Delegate[] { onError, a }, socket.Listeners("error"));
        socket.RemoveAllListeners("error");
        Assert.Empty(socket.Listeners("error"));
    }

    private sealed record Bid(int Amount);
}
