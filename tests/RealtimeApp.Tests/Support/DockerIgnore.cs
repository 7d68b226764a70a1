using System.Text;
using System.Text.RegularExpressions;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// The build context's <c>.dockerignore</c>, applied as Docker applies it to a plain COPY: each pattern is
/// matched against the path relative to the context, and a matched folder excludes everything in it. Without
/// it a replayed <c>COPY src/ src/</c> would bring the repository's own bin/ and obj/ (restore results
/// included), which could hide exactly the restore bugs the replay is there to catch.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly IReadOnlyList<Regex> _patterns;

    private DockerIgnore(IReadOnlyList<Regex> patterns) => _patterns = patterns;

    public static DockerIgnore Load(string contextDirectory)
    {
        var file = Path.Combine(contextDirectory, ".dockerignore");
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        return new DockerIgnore([.. lines
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(ToRegex)]);
    }

    /// <summary>Whether <paramref name="relativePath"/> ('/'-separated, relative to the context) is left out.</summary>
    public bool Excludes(string relativePath)
    {
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var depth = 1; depth <= parts.Length; depth++)
        {
            var prefix = string.Join('/', parts[..depth]);
            if (_patterns.Any(p => p.IsMatch(prefix)))
            {
                return true;
            }
        }
        return false;
    }

    // Go's filepath.Match plus Docker's "**" (any number of folders). Exceptions ("!") and character classes
    // change what gets copied in ways this small matcher would get wrong, so they stop the replay instead.
    private static Regex ToRegex(string pattern)
    {
        if (pattern.StartsWith('!') || pattern.IndexOfAny(['[', '\\']) >= 0)
        {
            throw new DockerfileReplayException($".dockerignore pattern `{pattern}` is not supported by the replay");
        }
        var cleaned = pattern.StartsWith("./", StringComparison.Ordinal) ? pattern[2..] : pattern;
        cleaned = cleaned.Trim('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < cleaned.Length; i++)
        {
            if (cleaned[i..].StartsWith("**/", StringComparison.Ordinal))
            {
                regex.Append("(?:.*/)?");
                i += 2;
            }
            else if (cleaned[i..].StartsWith("**", StringComparison.Ordinal))
            {
                regex.Append(".*");
                i += 1;
            }
            else
            {
                regex.Append(cleaned[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
