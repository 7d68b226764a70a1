using RealtimeApp.LoadGen.Servers;

namespace RealtimeApp.LoadGen.Cli;

/// <summary>
/// <c>run [--quick|--full] [--reps N] [--only prefix[,prefix]] [--servers ours,node,ceiling] [--out file]
/// [--soak-clients N] [--soak-seconds S] [--soak-signed-in]</c>.
/// </summary>
internal sealed record RunOptions(ModeSettings Mode, int Reps, string[] Only, ServerKind[] Servers, string? OutFile,
    SoakSettings Soak)
{
    public const string Usage =
        "usage: RealtimeApp.LoadGen run [--quick|--full] [--reps N] [--only <scenario-prefix>[,...]] " +
        "[--servers ours,node,ceiling] [--out <file>] [--soak-clients N] [--soak-seconds S] [--soak-signed-in]";

    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var mode = ModeSettings.Quick;
        int? reps = null;
        string[] only = [];
        var servers = ServerKinds.All;
        string? outFile = null;
        var soak = SoakSettings.Default;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    mode = ModeSettings.Quick;
                    break;
                case "--full":
                    mode = ModeSettings.Full;
                    break;
                case "--reps":
                    reps = int.Parse(Value(args, ref i));
                    if (reps < 1)
                    {
                        throw new ArgumentException("--reps must be at least 1");
                    }
                    break;
                case "--only":
                    only = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--servers":
                    servers = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(ServerKinds.Parse).Distinct().ToArray();
                    break;
                case "--out":
                    outFile = Value(args, ref i);
                    break;
                case "--soak-clients":
                    soak = soak with { Clients = int.Parse(Value(args, ref i)) };
                    if (soak.Clients < 1)
                    {
                        throw new ArgumentException("--soak-clients must be at least 1");
                    }
                    break;
                case "--soak-seconds":
                    soak = soak with { Duration = TimeSpan.FromSeconds(int.Parse(Value(args, ref i))) };
                    if (soak.Duration < TimeSpan.FromSeconds(5))
                    {
                        throw new ArgumentException("--soak-seconds must be at least 5");
                    }
                    break;
                case "--soak-signed-in":
                    soak = soak with { SignedIn = true };
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'\n{Usage}");
            }
        }
        return new RunOptions(mode, reps ?? mode.Reps, only, servers, outFile, soak);
    }

    public bool Selects(string scenario) =>
        Only.Length == 0 || Only.Any(prefix => scenario.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value\n{Usage}");
}
