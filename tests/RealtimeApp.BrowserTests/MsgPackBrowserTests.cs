using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RealtimeApp.SocketIO;
using RealtimeApp.SocketIO.Hosting;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// The browser build of the msgpack parser, <c>/socket.io/socket.io.msgpack.min.js</c> as the library serves it, in
/// Chromium: against a bare server with <c>SocketIOParser.MsgPack</c> (binary and acks both ways, a room and a
/// broadcast, polling upgraded to WebSocket), and the board itself with <c>SocketIO:Parser=MsgPack</c>.
/// </summary>
public sealed class MsgPackBrowserTests
{
    private const string Page = """
        <!doctype html><meta charset="utf-8"><title>msgpack</title>
        <script src="/socket.io/socket.io.msgpack.min.js"></script>
        """;

    // What the page does with the bundle's global io(); returns what it saw as JSON.
    private const string Script = """
        async () => {
          const bytes = (view) => Array.from(new Uint8Array(view));
          // emitWithAck resolves with the first argument only: every argument of the ack is wanted here.
          const ask = (...args) => new Promise((resolve, reject) => socket.timeout(5000).emit(...args,
            (err, ...reply) => (err ? reject(err) : resolve(reply))));
          const socket = io({ reconnection: false });
          await new Promise((resolve, reject) => { socket.on("connect", resolve); socket.on("connect_error", reject); });
          const echo = await ask("echo", "caption", new Uint8Array([1, 2, 255]).buffer,
            { nested: new Uint8Array([4, 5]).buffer });
          socket.on("question", (data, ack) => ack(new Uint8Array(data).length, new Uint8Array([9, 9]).buffer));
          const answer = await ask("ask-me");
          await socket.timeout(5000).emitWithAck("join", "r1");
          const shouted = new Promise((resolve) => socket.once("shouted", (...args) => resolve(args)));
          socket.emit("shout", "hi", new Uint8Array([7]).buffer);
          const heard = await shouted;
          if (socket.io.engine.transport.name !== "websocket") {
            await new Promise((resolve) => socket.io.engine.once("upgrade", resolve));
          }
          return JSON.stringify({
            echo: [echo[0], bytes(echo[1]), bytes(echo[2].nested)],
            answer: [answer[0], bytes(answer[1])],
            heard: [heard[0], bytes(heard[1])],
            transport: socket.io.engine.transport.name,
          });
        }
        """;

    [Fact]
    public async Task The_browser_bundle_sends_and_receives_binary_acks_rooms_and_broadcasts()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSocketIO(o => o.Parser = SocketIOParser.MsgPack);
        await using var host = builder.Build();
        host.MapGet("/", () => Results.Content(Page, "text/html"));
        host.MapSocketIO("/socket.io");
        var io = host.Services.GetRequiredService<SocketIOServer>();
        var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        io.Sockets.OnConnection(socket =>
        {
            socket.On("echo", e => e.Ack?.Send(e.Arguments.ToArray()));
            socket.On("ask-me", async e =>
            {
                var reply = await socket.EmitWithAckAsync("question", [new byte[] { 1, 2, 3 }], TimeSpan.FromSeconds(5));
                answered.TrySetResult($"{reply[0].GetInt32()} [{string.Join(",", reply.GetBytes(1)!.Value.ToArray())}]");
                e.Ack?.Send(reply.ToArray());
            });
            socket.On("join", e =>
            {
                socket.Join(e.Arguments[0].GetString()!);
                e.Ack?.Send();
            });
            socket.On("shout", e => io.To("r1").Emit("shouted", e.Arguments.ToArray()));
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await using var browser = await BrowserSession.LaunchAsync();

        var page = await browser.OpenAsync(address);
        var seen = JsonDocument.Parse(await page.EvaluateAsync<string>(Script)).RootElement;

        Assert.Equal("""["caption",[1,2,255],[4,5]]""", seen.GetProperty("echo").GetRawText());
        Assert.Equal("3 [9,9]", await answered.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("""[3,[9,9]]""", seen.GetProperty("answer").GetRawText());
        Assert.Equal("""["hi",[7]]""", seen.GetProperty("heard").GetRawText());
        Assert.Equal("websocket", seen.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task The_board_works_when_the_app_speaks_msgpack()
    {
        var folder = Directory.CreateTempSubdirectory("board-msgpack-").FullName;
        await using var app = BoardBrowserTests.StartApp(Path.Combine(folder, "items.db"), "--SocketIO:Parser=MsgPack");
        var address = await BoardBrowserTests.AddressOfAsync(app);
        await using var browser = await BrowserSession.LaunchAsync();
        Assertions.SetDefaultExpectTimeout(20_000);

        var bundles = new List<string>();
        var alice = await browser.Browser.NewPageAsync();
        alice.Response += (_, response) => bundles.Add($"{response.Status} {new Uri(response.Url).AbsolutePath}");
        await alice.GotoAsync(address);
        var watcher = await browser.OpenAsync(address);
        await BoardBrowserTests.SignInAsync(alice, "alice");
        await alice.GetByTestId("create-title").FillAsync("Packed crate");
        await alice.GetByTestId("create-price").FillAsync("3");
        await alice.GetByTestId("create-submit").ClickAsync();

        await Assertions.Expect(BoardBrowserTests.Card(watcher, "Packed crate").GetByTestId("item-owner")).ToContainTextAsync("alice");
        await Assertions.Expect(alice.GetByTestId("status")).ToHaveTextAsync(new Regex("^\\s*connected", RegexOptions.IgnoreCase));
        // The page asked for the parser's bundle and got the msgpack build.
        Assert.Contains("302 /socket.io-client.js", bundles);
        Assert.Contains("200 /socket.io/socket.io.msgpack.min.js", bundles);
    }
}
