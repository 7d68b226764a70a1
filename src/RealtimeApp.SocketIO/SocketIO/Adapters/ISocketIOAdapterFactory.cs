namespace RealtimeApp.SocketIO.Adapters;

/// <summary>
/// Makes the adapter of each namespace (Node's <c>io.adapter(createAdapter(...))</c>). Register one in DI
/// (a cluster adapter's <c>Add…Adapter</c> does) to replace the in-memory adapter; with none registered,
/// each namespace gets an <see cref="InMemoryAdapter"/>.
/// </summary>
public interface ISocketIOAdapterFactory
{
    /// <summary>
    /// The adapter of <paramref name="context"/>'s namespace, created once when the namespace is. Keep the
    /// context: it is how the adapter reaches the namespace's sockets.
    /// </summary>
    ISocketIOAdapter Create(AdapterContext context);
}
