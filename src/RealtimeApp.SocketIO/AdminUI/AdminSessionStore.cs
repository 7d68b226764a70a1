using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RealtimeApp.SocketIO.AdminUI;

/// <summary>
/// Node's InMemoryStore: the session ids handed out after a successful login, accepted later as
/// <c>auth.sessionId</c> (the dashboard reconnects with it instead of the password). Per process, never
/// expiring, as Node's; a restart asks for the password again.
/// </summary>
internal sealed class AdminSessionStore
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    /// <summary>A new id: 8 random bytes in hex, as Node's randomId.</summary>
    public string Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _ids[id] = 0;
        return id;
    }

    public bool Exists(string id) => _ids.ContainsKey(id);
}
