using System.Text;
using System.Text.Json;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.Demo;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>The <c>safety</c> commands run as a user runs them: a separate process, arguments in, text out.</summary>
public sealed class CommandLineTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Boundary_Json_HasTheDocumentedShape_AndKeepsTheExactTie()
    {
        var (exit, output, _) = await RunAsync("boundary", "--method", "pocock", "--p0", "0.2", "--alpha", "0.04", "--looks", "1-2", "--oc", "0.2,0.5", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("pocock", root.GetProperty("method").GetString());
        Assert.Equal(0.2, root.GetProperty("p0").GetDouble());
        Assert.Equal(0.04, root.GetProperty("alpha").GetDouble());
        Assert.Equal([1, 2], root.GetProperty("looks").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(root.GetProperty("feasible").GetBoolean());
        Assert.Equal([2, 2], root.GetProperty("boundaries").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0.04, root.GetProperty("achievedAlpha").GetDouble(), 1e-15);
        var oc = root.GetProperty("oc").EnumerateArray().ToList();
        Assert.Equal(2, oc.Count);
        Assert.Equal(0.25, oc[1].GetProperty("rejectProbability").GetDouble(), 1e-15);
        Assert.Equal(2, oc[1].GetProperty("stopProbability").GetArrayLength());
        Assert.True(oc[0].TryGetProperty("expectedPatients", out _));
        Assert.True(oc[0].TryGetProperty("expectedToxicities", out _));
    }

    [Fact]
    public async Task Boundary_NumbersInScientificNotation_GiveTheSameResult()
    {
        var (plainExit, plain, _) = await RunAsync("boundary", "--method", "pocock", "--p0", "0.2", "--alpha", "0.04", "--looks", "1-2", "--oc", "0.2,0.5", "--json");
        var (exit, scientific, _) = await RunAsync("boundary", "--method", "pocock", "--p0", "2e-1", "--alpha", "4E-2", "--looks", "1-2", "--oc", "2e-1,5e-1", "--json");

        Assert.Equal((0, 0), (plainExit, exit));
        Assert.Equal(plain, scientific);
    }

    [Fact]
    public async Task Boundary_Infeasible_SaysSoWithBoundariesAboveN()
    {
        var (exit, output, _) = await RunAsync("boundary", "--method", "obf", "--p0", "0.6", "--alpha", "0.05", "--looks", "1-2", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("feasible").GetBoolean());
        Assert.Equal([2, 3], json.RootElement.GetProperty("boundaries").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Boundary_MissingParameter_ExitsWithTheProblem()
    {
        var (exit, _, error) = await RunAsync("boundary", "--method", "sprt", "--p0", "0.2", "--alpha", "0.1", "--looks", "1-20");

        Assert.Equal(2, exit);
        Assert.Contains("--p1 is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_Json_EchoesInputsAndPrior_WithExactIntervalsAndAGridOfDelta()
    {
        var (exit, output, _) = await RunAsync("compare", "--mono", "2/20", "--combo", "8/20", "--delta", "0.12", "--prior", "0.5,0.5", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(ComparativeRule.Probability(8, 20, 2, 20, 0.12, (0.5, 0.5)), root.GetProperty("probability").GetDouble(), 1e-15);
        Assert.Equal((2, 20, 8, 20), (root.GetProperty("mono").GetProperty("events").GetInt32(), root.GetProperty("mono").GetProperty("patients").GetInt32(),
            root.GetProperty("combo").GetProperty("events").GetInt32(), root.GetProperty("combo").GetProperty("patients").GetInt32()));
        Assert.Equal((0.5, 0.5), (root.GetProperty("prior").GetProperty("a").GetDouble(), root.GetProperty("prior").GetProperty("b").GetDouble()));

        // Clopper–Pearson 95% for 2/20 is (0.01235, 0.31698) (e.g. R binom.test(2, 20)$conf.int).
        var mono = root.GetProperty("observed")[0];
        Assert.Equal(0.1, mono.GetProperty("rate").GetDouble(), 1e-15);
        Assert.Equal(0.012349, mono.GetProperty("ci95")[0].GetDouble(), 1e-5);
        Assert.Equal(0.316983, mono.GetProperty("ci95")[1].GetDouble(), 1e-5);

        // The grid 0, 0.05, …, 0.20 plus the requested δ, each the exact posterior probability, falling as δ grows.
        var grid = root.GetProperty("posterior").EnumerateArray().Select(p => (Delta: p.GetProperty("delta").GetDecimal(), P: p.GetProperty("probability").GetDouble())).ToList();
        Assert.Equal([0m, 0.05m, 0.10m, 0.12m, 0.15m, 0.20m], grid.Select(g => g.Delta));
        Assert.All(grid, g => Assert.Equal(ComparativeRule.Probability(8, 20, 2, 20, (double)g.Delta, (0.5, 0.5)), g.P, 1e-15));
        Assert.True(grid.Zip(grid.Skip(1)).All(pair => pair.First.P > pair.Second.P));
    }

    [Fact]
    public async Task Boundary_ByDefault_ShowsOperatingCharacteristicsAtP0AndTheRulesP1()
    {
        var (exit, output, _) = await RunAsync("boundary", "--method", "pocock", "--p0", "0.03", "--alpha", "0.1", "--looks", "1-60", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var oc = json.RootElement.GetProperty("oc").EnumerateArray().ToList();
        Assert.Equal([0.03, 0.10], oc.Select(o => o.GetProperty("p").GetDouble()));
        // docs/stopping-rules.md §7: P(stop) 0.79 at 0.10 for the treatment-related death rule.
        Assert.Equal(0.79, oc[1].GetProperty("rejectProbability").GetDouble(), 0.005);
        Assert.Contains("tr-death-cam", json.RootElement.GetProperty("ocRatesFrom").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boundary_WithAccrual_ReportsCalendarTimeCrossingAndTimeToCrossing()
    {
        var (exit, output, _) = await RunAsync("boundary", "--method", "pocock", "--p0", "0.03", "--alpha", "0.1", "--looks", "1-60", "--accrual", "730", "--tau", "84", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var oc = json.RootElement.GetProperty("oc").EnumerateArray().ToList();
        var atP0 = oc[0].GetProperty("calendar");
        var atP1 = oc[1].GetProperty("calendar");
        // In calendar time the crossing probability is the exact one (0.0989 at p0, 0.789 at p1) within 3 Monte Carlo SE.
        Assert.Equal(oc[0].GetProperty("rejectProbability").GetDouble(), atP0.GetProperty("crossingProbability").GetDouble(), 3 * atP0.GetProperty("standardError").GetDouble());
        Assert.Equal(oc[1].GetProperty("rejectProbability").GetDouble(), atP1.GetProperty("crossingProbability").GetDouble(), 3 * atP1.GetProperty("standardError").GetDouble());
        Assert.InRange(atP1.GetProperty("meanTimeToCrossing").GetDouble(), 0, 730 + 84);
    }

    [Theory]
    [InlineData("--tau needs --accrual", "--tau", "84")]
    [InlineData("--accrual needs --tau", "--accrual", "730")]
    [InlineData("--looks 100000 patients is above the limit of 1000", "--looks", "1-100000")]
    public async Task Boundary_MissingCompanionOrTooManyLooks_IsOneLineAndExit2(string message, string option, string value)
    {
        string[] arguments = ["boundary", "--method", "pocock", "--p0", "0.03", "--alpha", "0.1", .. option == "--looks" ? [] : new[] { "--looks", "1-60" }, option, value];

        var (exit, output, error) = await RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error.Trim().Split('\n').Single(), StringComparison.Ordinal);
        Assert.StartsWith("safety boundary: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesCheck_ShowsCrossingsAndFalseAlarmProbabilities()
    {
        // The stored data: the demo dataset in storage with the default names (no other test uses them).
        var now = DateTimeOffset.UtcNow;
        await using (var runtime = await SafetyRuntime.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString }, LogLevel.None, Ct))
        {
            var data = DemoDataset.Generate(DateOnly.FromDateTime(now.UtcDateTime));
            await runtime.Store.Inbox.GetBlobClient("roster.csv").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(data.Roster)), overwrite: true, Ct);
            await runtime.Store.Inbox.GetBlobClient("ae.csv").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(data.AdverseEvents)), overwrite: true, Ct);
            await runtime.Watcher.DrainAsync(Ct);
        }

        var (exit, output, _) = await RunAsync("rules", "check", "--connection-string", azurite.ConnectionString);

        Assert.Equal(1, exit);
        Assert.Contains("fistula-camrt", output, StringComparison.Ordinal);
        Assert.Contains("CROSSED", output, StringComparison.Ordinal);
        Assert.Contains("tr-death-cam ⊂ g3-trae-cam", output, StringComparison.Ordinal);
        Assert.Contains("Across both arms", output, StringComparison.Ordinal);
        Assert.Contains("If independent: the same probability if the endpoints were independent", output, StringComparison.Ordinal);
        Assert.Matches(@"look \d+: \d+ events ≥ \d+", output);
    }

    [Fact]
    public async Task Code_Json_GivesOneObjectPerRowInOrder()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("code-").FullName, "verbatims.csv");
        await File.WriteAllTextAsync(file, "verbatim,grade,meddra_code\nAnaemia,3,\n放射性食管炎,2,\nAlopecia,3,\nFeeling unwell,1,\nwhatever,9,10035742\n", Ct);

        var (exit, output, _) = await RunAsync("code", "--file", file, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["Anaemia", "放射性食管炎", "Alopecia", "Feeling unwell", "whatever"], rows.Select(r => r.GetProperty("verbatim").GetString()));
        Assert.Equal(["Anemia", "Esophagitis", "Alopecia", null, "Pneumonitis"], rows.Select(r => r.GetProperty("term").GetString()));
        Assert.Equal(["coded", "coded", "coded", "needs-coding", "coded"], rows.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(["synonym", "synonym", "exact-term", "needs-coding", "meddra-code"], rows.Select(r => r.GetProperty("method").GetString()));
        Assert.Equal(["valid", "valid", "not-defined-for-term", null, "out-of-range"], rows.Select(r => r.GetProperty("gradeStatus").GetString()));
        Assert.Equal("10002272", rows[0].GetProperty("meddraCode").GetString());
        Assert.Equal("Blood and lymphatic system disorders", rows[0].GetProperty("soc").GetString());
        Assert.Equal(1.0, rows[0].GetProperty("confidence").GetDouble());
    }

    [Fact]
    public async Task Code_Table_ShowsSuggestionsForRowsThatNeedACoder()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("code-").FullName, "verbatims.csv");
        await File.WriteAllTextAsync(file, "verbatim\nFeeling unwell\nRash\nlow platelets\n", Ct);

        var (exit, output, _) = await RunAsync("code", "--file", file);

        Assert.Equal(0, exit);
        Assert.Contains("Suggestions", output, StringComparison.Ordinal);
        Assert.Contains("Malaise (0.99)", output, StringComparison.Ordinal);
        Assert.Contains("Rash maculo-papular (0.99)", output, StringComparison.Ordinal);
        Assert.Contains("analyte-direction", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabGrade_Json_GradesEachRowOrSaysWhatIsMissing()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("lab-").FullName, "labs.csv");
        await File.WriteAllTextAsync(file, "term,value,unit,lln,uln,baseline,baseline_range\nNeutrophil count decreased,0.8,10^9/L,2.0,7.5,,\nAlanine aminotransferase increased,210,U/L,,40,35,NORMAL\nPlatelet count decreased,90,10^9/L,,,,\nAnemia,7.9,g/dL,120,160,,\n", Ct);

        var (exit, output, _) = await RunAsync("lab", "grade", "--file", file, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToList();

        // 0.8 x 10^9/L neutrophils: "<1.0 - 0.5" grade 3; ALT 210 with ULN 40, normal baseline: ">5.0 - 20.0 x ULN" grade 3.
        Assert.Equal([3, 3, null, null], rows.Select(r => r.GetProperty("grade").ValueKind == JsonValueKind.Null ? (int?)null : r.GetProperty("grade").GetInt32()));
        Assert.Equal("lower limit of normal (ANRLO)", rows[2].GetProperty("notGradable").GetString());
        Assert.Equal("unit 'g/dL' is not g/L", rows[3].GetProperty("notGradable").GetString());
    }

    [Fact]
    public async Task Summarize_Json_HasTheDocumentedShape_AndHonoursPopulationAndEmergenceFlags()
    {
        var folder = Directory.CreateTempSubdirectory("summarize-").FullName;
        var adsl = Path.Combine(folder, "adsl.csv");
        var adae = Path.Combine(folder, "adae.csv");
        await File.WriteAllTextAsync(adsl, "USUBJID,TRT01A,SAFFL\nS1,CAM,Y\nS2,CAM,Y\nS3,CAMRT,Y\nS4,CAMRT,N\n", Ct);
        await File.WriteAllTextAsync(adae,
            "USUBJID,AESEQ,AEDECOD,AETOXGR,AESER,AEREL,AEOUT,TRTEMFL\n" +
            "S1,1,Pneumonitis,3,Y,POSSIBLE,,Y\n" +
            "S1,2,Anaemia,2,N,NONE,,Y\n" +
            "S2,1,Fatigue,1,N,NONE,,N\n" + // not treatment-emergent
            "S3,1,Esophageal fistula,5,Y,PROBABLE,FATAL,Y\n" +
            "S4,1,Fatigue,2,N,NONE,,Y\n" + // outside the safety population
            "S9,1,Fatigue,7,N,NONE,,Y\n", Ct); // unknown subject

        var (exit, output, _) = await RunAsync("summarize", "--subjects", adsl, "--events", adae, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var cam = json.RootElement.GetProperty("arms").GetProperty("CAM");
        var camrt = json.RootElement.GetProperty("arms").GetProperty("CAMRT");
        Assert.Equal((2, 2, 1), (cam.GetProperty("subjects").GetInt32(), cam.GetProperty("events").GetInt32(), cam.GetProperty("subjectsWithAnyEvent").GetInt32()));
        Assert.Equal(1, cam.GetProperty("subjectsByWorstGrade").GetProperty("3").GetInt32());
        Assert.Equal((1, 1, 0), (cam.GetProperty("subjectsWithGrade3OrWorse").GetInt32(), cam.GetProperty("subjectsWithSerious").GetInt32(), cam.GetProperty("subjectsWithFatal").GetInt32()));
        Assert.Equal(["Anemia", "Pneumonitis"], cam.GetProperty("topTerms").EnumerateArray().Select(t => t.GetProperty("term").GetString()).Order());
        Assert.Equal((1, 1, 1, 1), (camrt.GetProperty("subjects").GetInt32(), camrt.GetProperty("subjectsWithGrade5").GetInt32(), camrt.GetProperty("subjectsWithRelated").GetInt32(), camrt.GetProperty("subjectsWithFatal").GetInt32()));
        Assert.Equal(1, json.RootElement.GetProperty("rejected").GetInt32());
        var rejection = json.RootElement.GetProperty("rejections")[0];
        Assert.Equal(("adae.csv", 7, "USUBJID", "S9", "unknown-subject"), (rejection.GetProperty("file").GetString(), rejection.GetProperty("line").GetInt32(), rejection.GetProperty("column").GetString(), rejection.GetProperty("rawValue").GetString(), rejection.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task CtcaeTerms_Json_ListsTheWholeDictionary()
    {
        var (exit, output, _) = await RunAsync("ctcae", "terms", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(837, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task ReportAndAck_WorkOnTheStoredData()
    {
        var suffix = AzuriteFixture.NewSuffix();
        var environment = new Dictionary<string, string> { ["SAFETY_Storage__NameSuffix"] = suffix };
        await using (var runtime = await SafetyRuntime.StartAsync(
            new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString, ["Storage:NameSuffix"] = suffix, ["Mail:PickupDirectory"] = Path.GetTempPath() }, LogLevel.None, Ct))
        {
            var data = DemoDataset.Generate(DateOnly.FromDateTime(DateTime.UtcNow));
            await runtime.Store.Inbox.GetBlobClient("roster.csv").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(data.Roster)), overwrite: true, Ct);
            await runtime.Watcher.DrainAsync(Ct);
            await runtime.Store.Inbox.GetBlobClient("ae.csv").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(data.AdverseEvents)), overwrite: true, Ct);
            await runtime.Watcher.DrainAsync(Ct);
        }

        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        var (closedExit, closedOutput, _) = await RunWithAsync(environment, "report", "--kind", "closed", "--out", Path.Combine(folder, "closed.html"), "--connection-string", azurite.ConnectionString);
        var (openExit, _, _) = await RunWithAsync(environment, "report", "--kind", "open", "--out", Path.Combine(folder, "open.html"), "--connection-string", azurite.ConnectionString);
        var (ackExit, ackOutput, _) = await RunWithAsync(environment, "ack", "expedited.camrel-rt-ec2.sh02-001.99", "--by", "Dr. Test", "--connection-string", azurite.ConnectionString);
        var (unknownExit, _, _) = await RunWithAsync(environment, "ack", "no-such-alert", "--connection-string", azurite.ConnectionString);

        Assert.Equal((0, 0, 0, 2), (closedExit, openExit, ackExit, unknownExit));
        Assert.Contains("closed.html", closedOutput, StringComparison.Ordinal);
        Assert.Contains("CLOSED REPORT", await File.ReadAllTextAsync(Path.Combine(folder, "closed.html"), Ct), StringComparison.Ordinal);
        Assert.Contains("OPEN REPORT", await File.ReadAllTextAsync(Path.Combine(folder, "open.html"), Ct), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "closed.rules.csv")));
        Assert.False(File.Exists(Path.Combine(folder, "open.rules.csv")));
        Assert.Contains("Acknowledged expedited.camrel-rt-ec2.sh02-001.99 as Dr. Test", ackOutput, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments) => SafetyProcess.RunAsync(new Dictionary<string, string>(), null, arguments);

    private static Task<(int Exit, string Output, string Error)> RunWithAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        SafetyProcess.RunAsync(environment, null, arguments);
}
