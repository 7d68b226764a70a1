using System.Text;
using RealtimeApp.Fuzz;

namespace RealtimeApp.SocketIO.Tests.Fuzzing;

/// <summary>
/// Replays every seed (fuzz/corpus/&lt;target&gt;/*) and every fuzzer finding kept as a regression
/// (fuzz/regressions/&lt;target&gt;/*) through the same target code the fuzzer runs (FuzzTargets.cs, compiled in):
/// each input must decode or yield the codec's typed error, pass the target's round-trip and bound checks,
/// and allocate a bounded amount. A failure is the exception the fuzzer would have recorded as a crash.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string FuzzDirectory = FindFuzzDirectory();

    /// <summary>The repository's fuzz/ folder (its corpus holds Node-written seeds other tests read too).</summary>
    internal static string Root => FuzzDirectory;

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "regressions" })
        {
            var root = Path.Combine(FuzzDirectory, kind);
            if (!Directory.Exists(root))
            {
                continue;
            }
            foreach (var targetDirectory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (var file in Directory.EnumerateFiles(targetDirectory).Order(StringComparer.Ordinal))
                {
                    // Relative, with '/': a readable and stable test case name.
                    data.Add(Path.GetFileName(targetDirectory), Path.GetRelativePath(FuzzDirectory, file).Replace('\\', '/'));
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_decodes_or_yields_a_typed_error(string target, string file) =>
        FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(FuzzDirectory, file)));

    [Fact]
    public void Every_target_has_seeds_and_every_folder_is_a_target()
    {
        var corpus = Path.Combine(FuzzDirectory, "corpus");
        foreach (var target in FuzzTargets.All.Keys)
        {
            Assert.True(Directory.Exists(Path.Combine(corpus, target)) && Directory.EnumerateFiles(Path.Combine(corpus, target)).Any(),
                $"no seed corpus for fuzz target {target}");
        }
        foreach (var kind in new[] { "corpus", "regressions" })
        {
            var root = Path.Combine(FuzzDirectory, kind);
            foreach (var directory in Directory.Exists(root) ? Directory.EnumerateDirectories(root) : [])
            {
                Assert.Contains(Path.GetFileName(directory), FuzzTargets.All.Keys);
            }
        }
    }

    /// <summary>
    /// The same placeholder thousands of times: rehydrating the arguments (SocketArguments.ToArray) copied the
    /// attachment once per placeholder, so allocation grew with the square of the packet's size (270 MB for this
    /// 188 KB packet; gigabytes within the default 1 MB maxHttpBufferSize). Caught by the target's allocation
    /// bound; built here rather than kept in fuzz/regressions, as the input has to be large to show it.
    /// </summary>
    [Fact]
    public void Repeated_placeholders_do_not_copy_their_attachment_each_time()
    {
        var json = "51-[\"ev\",[" + string.Join(",", Enumerable.Repeat("{\"_placeholder\":true,\"num\":0}", 4096)) + "]]";
        byte[] input = [.. Encoding.UTF8.GetBytes(json), FuzzTargets.MessageSeparator, .. Enumerable.Repeat((byte)'A', 64 * 1024)];

        FuzzTargets.Run("socket-packet", input);
    }

    /// <summary>fuzz/ of the repository: walks up from the test's output directory to the folder holding RealtimeApp.sln.</summary>
    private static string FindFuzzDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RealtimeApp.sln")))
            {
                return Path.Combine(directory.FullName, "fuzz");
            }
        }
        throw new DirectoryNotFoundException($"no RealtimeApp.sln above {AppContext.BaseDirectory}");
    }
}
