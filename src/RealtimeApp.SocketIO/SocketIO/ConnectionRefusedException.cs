using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO;

/// <summary>Thrown by connection middleware to refuse a socket with a message (and optional data) for the client.</summary>
public sealed class ConnectionRefusedException : Exception
{
    /// <summary>Refuses with <paramref name="message"/> only (the client's <c>err.message</c>).</summary>
    public ConnectionRefusedException(string message) : base(message)
    {
    }

    /// <summary>Refuses with <paramref name="message"/> and <paramref name="data"/>, already JSON (trim- and AOT-safe).</summary>
    public ConnectionRefusedException(string message, JsonElement data) : base(message)
    {
        ErrorData = JsonData = data;
    }

    /// <summary>
    /// Refuses with <paramref name="message"/> and <paramref name="data"/>, serialized now as its runtime type (by
    /// reflection). In trimmed or NativeAOT apps pass a <see cref="JsonElement"/> (e.g. from
    /// <c>JsonSerializer.SerializeToElement(value, context.Type)</c>).
    /// </summary>
    [RequiresUnreferencedCode(SocketPayload.ReflectionMessage)]
    [RequiresDynamicCode(SocketPayload.ReflectionMessage)]
    public ConnectionRefusedException(string message, object? data) : base(message)
    {
        ErrorData = data;
        JsonData = data is null ? null : JsonSerializer.SerializeToElement(data, SocketPayload.DefaultOptions.GetTypeInfo(data.GetType()));
    }

    /// <summary>
    /// Extra data sent in the CONNECT_ERROR packet (the client's <c>err.data</c>), as given. Named apart from
    /// <see cref="Exception.Data"/>, the BCL's own dictionary, which it would otherwise hide.
    /// </summary>
    public object? ErrorData { get; }

    /// <summary>The same data as JSON, as it goes on the wire.</summary>
    internal JsonElement? JsonData { get; }
}
