using System.Text;
using RealtimeApp.Fuzz;
using SharpFuzz;

// The fuzz harness. Usage:
//   RealtimeApp.Fuzz <target>                        under afl-fuzz (fuzz/run.sh): SharpFuzz's fork server,
//                                                    one input per run from AFL's test case
//   RealtimeApp.Fuzz replay <target> <file|dir>...   runs each input once, prints any finding with the
//                                                    input in hex; exit 1 if there was one (triage)
//   RealtimeApp.Fuzz list                            the target names
//   RealtimeApp.Fuzz selftest                        a target that crashes and hangs on purpose (run.sh check)
// The targets are in FuzzTargets.cs. For the coverage to mean anything, RealtimeApp.SocketIO.dll next to
// this program must have been instrumented with `dotnet sharpfuzz` (run.sh does it).

if (args is ["list"])
{
    foreach (var name in FuzzTargets.All.Keys)
    {
        Console.WriteLine(name);
    }
    return 0;
}

if (args is ["replay", var replayTarget, .. var paths] && paths.Length > 0)
{
    return Replay(replayTarget, paths);
}

if (args is ["selftest"])
{
    // Checks the pipeline itself (bash fuzz/run.sh N selftest): an Engine.IO ping ("2…") throws, a pong ("3…")
    // never returns. Decoding through the instrumented library gives afl-fuzz the coverage it needs to start;
    // from the seed "4x" it finds both within seconds, and run.sh must then fail and show them.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        if (RealtimeApp.SocketIO.EngineIO.Protocol.EnginePacketCodec.DecodeText(buffer.ToArray(), out var packet) == default)
        {
            switch (packet.Type)
            {
                case RealtimeApp.SocketIO.EngineIO.Protocol.EnginePacketType.Ping:
                    throw new InvalidOperationException("selftest crash");
                case RealtimeApp.SocketIO.EngineIO.Protocol.EnginePacketType.Pong:
                    Thread.Sleep(Timeout.Infinite);
                    break;
            }
        }
    });
    return 0;
}

if (args is [var target] && FuzzTargets.All.ContainsKey(target))
{
    // Out of process: the fork server runs the target in a child process that it restarts after a crash, so
    // even a crash that kills the runtime (stack overflow, fatal error) is reported as a crash of that input.
    // An exception escaping the callback is reported to afl-fuzz as a crash of the current input.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

Console.Error.WriteLine($"usage: RealtimeApp.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> | replay <target> <file|dir>... | list");
return 2;

static int Replay(string target, string[] paths)
{
    if (!FuzzTargets.All.ContainsKey(target))
    {
        Console.Error.WriteLine($"unknown target '{target}'");
        return 2;
    }
    var files = paths.SelectMany<string, string>(p => Directory.Exists(p)
        ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        : [p]).ToList();
    var findings = 0;
    foreach (var file in files)
    {
        var input = File.ReadAllBytes(file);
        try
        {
            FuzzTargets.Run(target, input);
        }
        catch (Exception ex)
        {
            findings++;
            Console.WriteLine($"FINDING target={target} file={file}");
            Console.WriteLine($"  input ({input.Length} bytes, hex): {Convert.ToHexString(input)}");
            Console.WriteLine($"  input (text): {Printable(input)}");
            Console.WriteLine($"  {ex.GetType().FullName}: {ex.Message}");
            Console.WriteLine(Indent(ex.StackTrace));
        }
    }
    Console.WriteLine($"replay {target}: {files.Count} inputs, {findings} findings");
    return findings == 0 ? 0 : 1;
}

static string Printable(byte[] input)
{
    var text = new StringBuilder();
    foreach (var b in input.AsSpan(0, Math.Min(input.Length, 400)))
    {
        text.Append(b is >= 0x20 and < 0x7F && b != (byte)'\\' ? (char)b : $"\\x{b:X2}");
    }
    return input.Length > 400 ? text + "…" : text.ToString();
}

static string Indent(string? text) =>
    string.Join('\n', (text ?? "").Split('\n').Take(12).Select(line => "    " + line.TrimEnd()));
