using Camrelizumab.Safety.Storage.Local;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>
/// Every mistake a user can make at the command line ends in one line that names the input and says what to do, and
/// exit code 2: no stack trace, no .NET type name. Each case runs <c>safety</c> as a separate process, as a user would.
/// </summary>
public sealed class BadInvocationTests
{
    private static readonly string Folder = CreateFiles();

    /// <summary>The corpus: arguments, and a piece of text the one line must contain (the input it names).</summary>
    public static TheoryData<string, string[]> Corpus() => new()
    {
        // Options and commands that do not exist or are missing.
        { "nosuch", ["nosuch"] },
        { "--nosuch", ["boundary", "--nosuch", "1", "--method", "pocock", "--p0", "0.2", "--alpha", "0.1", "--looks", "1-6"] },
        { "--method", ["boundary", "--p0", "0.2", "--alpha", "0.1", "--looks", "1-6"] },
        { "ack", ["ack"] },
        { "--kind", ["report", "--kind", "foo", "--out", F("x.html")] },
        { "--terms", ["summarize", "--subjects", F("roster.csv"), "--events", F("roster.csv"), "--terms", "meddra"] },
        { "--units", ["lab", "grade", "--file", F("lab.csv"), "--units", "metric"] },

        // Bad values (the issue's list first).
        { "pocok", ["boundary", "--method", "pocok", "--p0", "0.2", "--alpha", "0.05", "--looks", "1-60"] },
        { "0-60", ["boundary", "--method", "pocock", "--p0", "0.2", "--alpha", "0.05", "--looks", "0-60"] },
        { "60-1", ["boundary", "--method", "pocock", "--p0", "0.2", "--alpha", "0.05", "--looks", "60-1"] },
        { "--mono 4", ["compare", "--mono", "4", "--combo", "3/20"] },
        { "60/52", ["compare", "--mono", "60/52", "--combo", "3/20"] },
        { "--delta", ["compare", "--mono", "3/20", "--combo", "8/20", "--delta", "1.5"] },
        { "--alpha abc", ["boundary", "--method", "pocock", "--p0", "0.2", "--alpha", "abc", "--looks", "1-6"] },
        { "--p0 1e", ["boundary", "--method", "pocock", "--p0", "1e", "--alpha", "0.1", "--looks", "1-6"] },
        { "--p1", ["boundary", "--method", "sprt", "--p0", "0.2", "--alpha", "0.1", "--looks", "1-20"] },
        { "--beta 1.5", ["boundary", "--method", "wald", "--p0", "0.2", "--p1", "0.4", "--alpha", "0.1", "--looks", "1-20", "--beta", "1.5"] },
        { "--prior", ["boundary", "--method", "bayes", "--p0", "0.2", "--alpha", "0.1", "--looks", "1-6", "--prior", "1"] },
        { "--oc", ["boundary", "--method", "pocock", "--p0", "0.2", "--alpha", "0.1", "--looks", "1-6", "--oc", "0.2,x"] },
        { "--combo", ["compare", "--mono", "3/20", "--combo", "three/20"] },
        { "--rows 1.5", ["bench", "ingest", "--rows", "1.5"] },
        { "--repeat 0", ["bench", "pipeline", "--repeat", "0"] },
        { "--as-of", ["report", "--kind", "open", "--out", F("x.html"), "--as-of", "2025-13-01"] },
        { "--top", ["summarize", "--subjects", F("roster.csv"), "--events", F("roster.csv"), "--top", "ten"] },

        // Files: missing, empty, binary, folders, unreadable, wrong content.
        { "missing.csv", ["lab", "grade", "--file", F("missing.csv")] },
        { "empty.csv", ["code", "--file", F("empty.csv")] },
        { "binary.bin", ["code", "--file", F("binary.bin")] },
        { "folder", ["code", "--file", F("folder")] },
        { "folder", ["summarize", "--subjects", F("folder"), "--events", F("roster.csv")] },
        { "missing.csv", ["summarize", "--subjects", F("roster.csv"), "--events", F("missing.csv")] },
        { "empty.csv", ["summarize", "--subjects", F("empty.csv"), "--events", F("roster.csv")] },
        { "folder", ["summarize", "--subjects", F("roster.csv"), "--events", F("roster.csv"), "--supplemental", F("folder")] },
        { "/proc/self/mem", ["code", "--file", "/proc/self/mem"] },
        { "roster.csv/x.csv", ["lab", "grade", "--file", F("roster.csv/x.csv")] },
        { "verbatim", ["code", "--file", F("roster.csv")] },
        { "'term' and 'value'", ["lab", "grade", "--file", F("roster.csv")] },
        { "binary.bin", ["summarize", "--subjects", F("binary.bin"), "--events", F("roster.csv")] },
        { "folder", ["report", "--kind", "closed", "--out", F("folder")] },
        { "/proc/x", ["demo", "--out", "/proc/x"] },
        { "roster.csv", ["demo", "--out", F("roster.csv")] },

        // Rules files given to the command that exists to check them.
        { "Pneumonitiss", ["rules", "check", "--rules", F("rules-misspelled-term.json")] },
        { "p0", ["rules", "check", "--rules", F("rules-p0-above-1.json")] },
        { "empty.json", ["rules", "check", "--rules", F("empty.json")] },
        { "binary.bin", ["rules", "check", "--rules", F("binary.bin")] },
        { "folder", ["rules", "check", "--rules", F("folder")] },
        { "missing.json", ["rules", "check", "--rules", F("missing.json")] },
        { "rules-syntax.json", ["rules", "check", "--rules", F("rules-syntax.json")] },
        { "unknown field", ["rules", "check", "--rules", F("rules-unknown-field.json")] },
        { "should be text", ["rules", "check", "--rules", F("rules-wrong-type.json")] },
        { "required field", ["rules", "check", "--rules", F("rules-missing-fields.json")] },

        // Storage: nothing running on the data folder, and mixed or malformed account choices.
        { "no safety run is running", ["ack", "some-alert", "--data", F("no-run")] },
        { "no safety run is running", ["rules", "recompute", "--evaluation", "nonexistent", "--data", F("no-run")] },
        { "no safety run is running", ["report", "--kind", "open", "--out", F("x.html"), "--data", F("no-run")] },
        { "no safety run is running", ["deletions", "confirm", "abc", "--data", F("no-run")] },
        { "no safety run is running", ["rules", "check", "--data", F("no-run")] },
        { "Bad_Name", ["ack", "x", "--account", "Bad_Name"] },
        { "--connection-string", ["ack", "x", "--account", "mystorage", "--connection-string", "UseDevelopmentStorage=true"] },
        { "--table-service-uri", ["ack", "x", "--blob-service-uri", "https://a.blob.core.windows.net"] },
        { "ftp://x", ["ack", "x", "--blob-service-uri", "ftp://x", "--table-service-uri", "https://a.table.core.windows.net"] },
        { "--connection-string is empty", ["ack", "x", "--connection-string", ""] },
        { "the storage did not answer", ["ack", "x", "--connection-string", Unreachable] },
    };

    /// <summary>Azurite's account on a loopback port nothing listens on (port 9 is discard, not served here).</summary>
    private const string Unreachable =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Mistake_PrintsOneLineNamingTheInput_AndExits2(string names, string[] arguments)
    {
        var (exit, output, error) = await RunAsync(arguments);

        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        Assert.Equal("", output);
        Assert.Equal(2, exit);
        Assert.Contains(names, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"System\.[A-Z]|Exception|Camrelizumab\.", lines[0]);
        Assert.StartsWith("safety", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_HoldsAtLeastFortyMistakes() => Assert.True(Corpus().Count >= 40, $"{Corpus().Count} cases");

    private static string F(string name) => Path.Combine(Folder, name);

    private static string CreateFiles()
    {
        var folder = Directory.CreateTempSubdirectory("bad-invocations-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "folder"));
        File.WriteAllBytes(Path.Combine(folder, "empty.csv"), []);
        File.WriteAllBytes(Path.Combine(folder, "empty.json"), []);
        File.WriteAllBytes(Path.Combine(folder, "binary.bin"), [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF, 0x00, 0x13, 0x37]);
        File.WriteAllText(Path.Combine(folder, "roster.csv"), "STUDYID,USUBJID,ARM\nS,1,A\n");
        File.WriteAllText(Path.Combine(folder, "lab.csv"), "term,value,unit\nALT,40,U/L\n");
        var rules = File.ReadAllText(Path.Combine(DevServices.FindRepositoryRoot(), "config", "safety-rules.json"));
        File.WriteAllText(Path.Combine(folder, "rules-misspelled-term.json"), Once(rules, "\"Pneumonitis\"", "\"Pneumonitiss\""));
        File.WriteAllText(Path.Combine(folder, "rules-p0-above-1.json"), Once(rules, "\"p0\": 0.20", "\"p0\": 1.20"));
        File.WriteAllText(Path.Combine(folder, "rules-syntax.json"), rules[..(rules.Length / 2)]);
        File.WriteAllText(Path.Combine(folder, "rules-unknown-field.json"), Once(rules, "\"p0\": 0.20", "\"p0\": 0.20, \"pzero\": 0.2"));
        File.WriteAllText(Path.Combine(folder, "rules-wrong-type.json"), "{ \"version\": 1.20 }");
        File.WriteAllText(Path.Combine(folder, "rules-missing-fields.json"), "{ \"version\": \"x\" }");
        return folder;
    }

    private static string Once(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, find);
        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(string[] arguments) => SafetyProcess.RunAsync(null, Folder, arguments);
}
