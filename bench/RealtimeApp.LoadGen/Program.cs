// The benchmark load generator and orchestrator (see bench/README.md and perf-anchors Part C).
//
//   RealtimeApp.LoadGen run [--quick|--full] [--reps N] [--only <scenario-prefix>] [--servers ours,node,ceiling] [--out <file>]
//                           [--soak-clients N] [--soak-seconds S]
//   RealtimeApp.LoadGen hold ...      (internal: a child holding idle clients beyond one process's file limit)
using RealtimeApp.LoadGen;
using RealtimeApp.LoadGen.Cli;
using RealtimeApp.LoadGen.Scenarios;

// Socket continuations run on the epoll thread instead of hopping to the thread pool: with one core for the
// generator this cuts its CPU per message, and the servers then reach their Part B rates. The runtime reads the
// variable when the first socket is created, so it is set before any; an explicit value (e.g. 0) wins. The servers
// we start do not inherit it (ServerProcess removes it).
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

try
{
    return args.FirstOrDefault() switch
    {
        "run" => await Orchestrator.RunAsync(RunOptions.Parse(args[1..])),
        "hold" => await HoldCommand.RunAsync(args[1..]),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine(RunOptions.Usage);
    return 2;
}
