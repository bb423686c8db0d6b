using System.CommandLine;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Storage.Local;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>The README's command table says what <c>safety … --help</c> says: the same commands and the same options.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string[] StorageOptions = ["--data", "--connection-string", "--account", "--blob-service-uri", "--table-service-uri"];

    [Fact]
    public void CommandTable_UsageLines_NameExactlyTheOptionsOfEachCommand()
    {
        var readme = File.ReadAllText(Path.Combine(DevServices.FindRepositoryRoot(), "README.md"));
        var usages = UsageLine().Matches(readme).Select(m => m.Groups["usage"].Value).ToList();
        var root = SafetyCommandLine.Create();

        var documented = new List<string>();
        foreach (var usage in usages)
        {
            var words = usage.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Command command = root;
            foreach (var word in words.TakeWhile(w => char.IsAsciiLetterLower(w[0])))
            {
                command = command.Subcommands.SingleOrDefault(c => c.Name == word) ?? throw new Xunit.Sdk.XunitException($"README names `safety {usage}`, but there is no command '{word}'.");
            }

            var named = OptionName().Matches(usage).Select(m => m.Value).Concat(usage.Contains("STORAGE", StringComparison.Ordinal) ? StorageOptions : []).Order().ToList();
            var actual = command.Options.Where(o => !o.Hidden && o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--help").Select(o => o.Name).Order().ToList();
            Assert.True(named.SequenceEqual(actual), $"README `safety {usage}` names [{string.Join(' ', named)}]; --help has [{string.Join(' ', actual)}].");
            documented.Add(string.Join(' ', words.TakeWhile(w => char.IsAsciiLetterLower(w[0]))));
        }

        var leaves = Leaves(root, "").ToList();
        Assert.Empty(leaves.Except(documented));
    }

    private static IEnumerable<string> Leaves(Command command, string path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return path;
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"))
            {
                yield return leaf;
            }
        }
    }

    [GeneratedRegex(@"^\| `safety (?<usage>[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex UsageLine();

    [GeneratedRegex(@"--[a-z][a-z0-9-]*")]
    private static partial Regex OptionName();
}
