using System.Net.WebSockets;
using System.Text.Json;
using RealtimeApp.SocketIO.IntegrationTests.Support;

namespace RealtimeApp.SocketIO.IntegrationTests.SocketIO;

/// <summary>
/// Binary nested inside an object argument (<c>socket.emit("upload", { name, file: buffer, parts: [buffer] })</c>):
/// reachable without walking placeholders by hand, untyped (<c>GetBytes(element)</c>) and typed (<c>Get&lt;T&gt;</c>).
/// </summary>
public sealed class NestedBinaryTests
{
    private sealed record Upload(string Name, byte[] File, byte[][] Parts);

    [Fact]
    public async Task Nested_binary_is_readable_by_element_and_binds_into_a_typed_argument()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        server.Io.Of("/").OnConnection(socket => socket.On("upload", e =>
        {
            var args = e.Arguments;
            var file = args.GetBytes(args[0].GetProperty("file"));
            var part = args.GetBytes(args[0].GetProperty("parts")[0]);
            // Text is not binary: null, not an empty memory (GetBytes(i) on a text argument neither).
            var notBinary = args.GetBytes(args[0].GetProperty("name")) is null && args.GetBytes(0) is null;
            var typed = args.Get<Upload>(0)!;
            e.Ack?.Send(file!.Value.Length, part!.Value.Length, notBinary, typed.Name, typed.File.Length,
                typed.Parts[0].Length);
        }));
        await using var client = await SocketIORawClient.OpenAsync(server);
        await client.ConnectNamespaceAsync();

        await client.SendTextAsync(
            """452-7["upload",{"name":"a.bin","file":{"_placeholder":true,"num":0},"parts":[{"_placeholder":true,"num":1}]}]""");
        await client.SendBinaryAsync([1, 2, 3]);
        await client.SendBinaryAsync([4, 5]);

        Assert.Equal("""437[3,2,true,"a.bin",3,2]""", await client.ReceiveTextAsync());
    }
}
