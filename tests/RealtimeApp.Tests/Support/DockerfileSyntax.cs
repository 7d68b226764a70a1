using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RealtimeApp.Tests.Support;

/// <summary>A Dockerfile step that failed, or an instruction the replay does not understand.</summary>
internal sealed class DockerfileReplayException(string message) : Exception(message);

/// <summary>One instruction, its line continuations joined; <see cref="Line"/> is where it starts (1-based).</summary>
internal sealed record DockerInstruction(int Line, string Keyword, string Arguments)
{
    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>
/// The Dockerfile syntax the replay reads: instructions with their line continuations joined, and the argument
/// forms it understands. Any other form is an error naming the instruction, never a silent skip.
/// </summary>
internal static partial class DockerfileSyntax
{
    public static IReadOnlyList<DockerInstruction> Parse(string dockerfile)
    {
        var lines = dockerfile.Replace("\r\n", "\n").Split('\n');
        var instructions = new List<DockerInstruction>();
        for (var i = 0; i < lines.Length; i++)
        {
            // A parser directive changing the escape character would change how lines continue.
            if (EscapeDirective().IsMatch(lines[i]))
            {
                throw new DockerfileReplayException($"line {i + 1}: the replay does not understand the escape directive");
            }
            if (IsBlankOrComment(lines[i]))
            {
                continue;
            }
            var start = i;
            var text = new StringBuilder();
            while (lines[i].TrimEnd().EndsWith('\\'))
            {
                text.Append(lines[i].TrimEnd()[..^1]);
                do
                {
                    if (++i == lines.Length)
                    {
                        throw new DockerfileReplayException($"line {start + 1}: continuation runs past the end of the file");
                    }
                }
                while (lines[i].TrimStart().StartsWith('#')); // Docker drops comment lines inside a continuation
            }
            var joined = text.Append(lines[i]).ToString().Trim();
            var space = joined.IndexOfAny([' ', '\t']);
            instructions.Add(space < 0
                ? new DockerInstruction(start + 1, joined.ToUpperInvariant(), "")
                : new DockerInstruction(start + 1, joined[..space].ToUpperInvariant(), joined[space..].Trim()));
        }
        return instructions;
    }

    public static IEnumerable<(string Key, string Value)> EnvAssignments(DockerInstruction instruction)
    {
        var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (instruction.Arguments.IndexOfAny(['"', '\'']) >= 0 || words.Length == 0 || words.Any(w => !w.Contains('=')))
        {
            throw Unsupported(instruction, "expected unquoted `ENV KEY=value ...`");
        }
        return words.Select(w => (w[..w.IndexOf('=')], w[(w.IndexOf('=') + 1)..]));
    }

    // HEALTHCHECK [--option=value...] CMD command (exec or shell form), or NONE (null).
    public static IReadOnlyList<string>? HealthcheckCommand(DockerInstruction instruction)
    {
        var match = HealthcheckArguments().Match(instruction.Arguments);
        if (!match.Success)
        {
            throw Unsupported(instruction, "expected `HEALTHCHECK [--option=value...] CMD ...` or `HEALTHCHECK NONE`");
        }
        if (!match.Groups["command"].Success)
        {
            return null;
        }
        var command = match.Groups["command"].Value;
        return command.StartsWith('[') ? ExecForm(instruction, command) : ["/bin/sh", "-c", command];
    }

    public static string[] ExecForm(DockerInstruction instruction, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) is { Length: > 0 } words ? words : throw Unsupported(instruction, "empty command");
        }
        catch (JsonException)
        {
            throw Unsupported(instruction, "expected the exec form, a JSON array of strings");
        }
    }

    private static bool IsBlankOrComment(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');

    public static DockerfileReplayException Unsupported(DockerInstruction instruction, string why) =>
        new($"The replay does not understand {instruction}: {why}.");

    [GeneratedRegex(@"^(?<image>\S+)(?:\s+AS\s+(?<name>[A-Za-z0-9_.-]+))?$", RegexOptions.IgnoreCase)]
    public static partial Regex FromArguments();

    [GeneratedRegex(@"^(?:--[a-z-]+=\S+\s+)*(?:CMD\s+(?<command>.+)|NONE)$", RegexOptions.Singleline)]
    private static partial Regex HealthcheckArguments();

    [GeneratedRegex(@"^#\s*escape\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EscapeDirective();
}
