using System.Globalization;
using System.Net;
using System.Text.Json;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// <c>hold --port P --path X --count N [--in-flight K] [--raw]</c>: the child side of <see cref="HoldChild"/>.
/// Connects N idle clients (answering pings), reports, answers <c>status</c>, exits when stdin closes.
/// </summary>
internal static class HoldCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        int port = 0, count = 0, inFlight = Connector.DefaultInFlight;
        var path = ClientTarget.SocketIoPath;
        var engineIo = true;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--port":
                    port = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--path":
                    path = args[++i];
                    break;
                case "--count":
                    count = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--in-flight":
                    inFlight = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--raw":
                    engineIo = false;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"hold: unknown option {args[i]}");
                    return 2;
            }
        }

        var target = new ClientTarget(new IPEndPoint(IPAddress.Loopback, port), path, engineIo);
        using var clients = await Connector.ConnectAsync(target, count, inFlight, IdleScenario.ReceiveBufferSize, (_, _) => IgnoringSink.Instance);
        Console.WriteLine(JsonSerializer.Serialize(new HoldReport(clients.Connected, clients.Failures, clients.FirstError), JsonSerializerOptions.Web));
        // Console reads block: a thread of their own, never the socket thread that answers the pings.
        await Task.Factory.StartNew(() =>
        {
            while (Console.ReadLine() is { } line)
            {
                if (line == "status")
                {
                    Console.WriteLine(JsonSerializer.Serialize(new HoldStatus(clients.Open), JsonSerializerOptions.Web));
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return 0;
    }
}
