using System.Text.Json;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>
/// One reading of an AE row: the same SDTM, ADaM and flat exports, ingested by the runner's pipeline into Azurite and
/// counted by <c>safety summarize --population roster</c> (the pipeline's reading), give the same per-arm subjects,
/// events, grades, serious, related and fatal counts.
/// </summary>
public sealed class OneReadingTests(AzuriteFixture azurite)
{
    /// <summary>The CDISC pilot's arms (DM ACTARM/ACTARMCD, ADSL TRT01A), as a rules file with no stopping rules.</summary>
    private const string PilotRules = """
        {
          "version": "test-1",
          "status": "Test rules: the CDISC pilot arms, no stopping rules.",
          "study": "CDISCPILOT01",
          "arms": [
            { "code": "Pbo", "label": "Placebo" },
            { "code": "Xan-Hi", "label": "Xanomeline High Dose", "aliases": [ "Xan_Hi" ] },
            { "code": "Xan-Lo", "label": "Xanomeline Low Dose", "aliases": [ "Xan_Lo" ] }
          ],
          "rules": []
        }
        """;

    /// <summary>
    /// A flat EDC export with the cells where the readings once drifted: relatedness to radiotherapy only, an unreadable
    /// serious flag, an empty grade, a death date without a fatal outcome, AESDTH without one, and a subject not yet dosed.
    /// </summary>
    private const string FlatRoster = """
        subject_id,arm,first_dose_date
        F-001,Placebo,2026-01-05
        F-002,Placebo,2026-01-06
        F-003,Xanomeline High Dose,2026-01-07
        F-004,Xanomeline High Dose,
        F-005,Xanomeline Low Dose,2026-01-09
        F-006,Screen Failure,
        """;

    private const string FlatEvents = """
        study_id,subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,related_radiotherapy,outcome,death_date,aesdth
        CDISCPILOT01,F-001,1,Pneumonitis,2,N,N,Y,RECOVERED/RESOLVED,,
        CDISCPILOT01,F-001,2,Fatigue,1,N,N,N,RECOVERED/RESOLVED,,
        CDISCPILOT01,F-002,1,Diarrhea,2,unknown,N,N,RECOVERED/RESOLVED,,
        CDISCPILOT01,F-003,1,Anemia,,N,N,N,NOT RECOVERED/NOT RESOLVED,,
        CDISCPILOT01,F-003,2,Nausea,4,Y,Y,,NOT RECOVERED/NOT RESOLVED,2026-03-01,
        CDISCPILOT01,F-004,1,Rash maculo-papular,3,N,N,N,RECOVERED/RESOLVED,,
        CDISCPILOT01,F-005,1,Sepsis,4,Y,N,N,,,Y
        CDISCPILOT01,F-005,2,Cough,1,N,,,RECOVERED/RESOLVED,,
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string[], string[]> Sources => new()
    {
        // SDTM in SAS XPORT: DM (actual arm ACTARM, 12 subjects treated in another arm than planned), AE, SUPPAE AETRTEM.
        { "sdtm", ["CdiscPilotSdtm/dm.xpt", "CdiscPilotSdtm/ae.xpt", "CdiscPilotSdtm/suppae.xpt"], ["--subjects", "dm.xpt", "--events", "ae.xpt", "--supplemental", "suppae.xpt"] },

        // ADaM in CSV: ADSL (TRT01A, SAFFL) and ADAE (TRTEMFL Y or empty, AEREL, AESDTH).
        { "adam", ["CdiscPilotAdam/adsl.csv", "CdiscPilotAdam/adae.csv"], ["--subjects", "adsl.csv", "--events", "adae.csv"] },

        // A flat EDC export and roster.
        { "flat", ["roster.csv", "ae.csv"], ["--subjects", "roster.csv", "--events", "ae.csv"] },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task IngestAndSummarize_SameExports_GiveTheSameCountsPerArm(string source, string[] files, string[] summarizeArguments)
    {
        // Arrange
        var folder = Directory.CreateTempSubdirectory($"one-reading-{source}-").FullName;
        foreach (var file in files)
        {
            var target = Path.Combine(folder, Path.GetFileName(file));
            if (file == "roster.csv" || file == "ae.csv")
            {
                await File.WriteAllTextAsync(target, file == "roster.csv" ? FlatRoster : FlatEvents, Ct);
            }
            else
            {
                File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", file), target);
            }
        }

        var rulesPath = Path.Combine(folder, "rules.json");
        await File.WriteAllTextAsync(rulesPath, PilotRules, Ct);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:NameSuffix"] = AzuriteFixture.NewSuffix(),
            ["Rules:Path"] = rulesPath,
            ["Mail:PickupDirectory"] = Path.Combine(folder, "mail"),
        };

        // Act: the pipeline ingests every file; summarize counts the same files with the pipeline's population.
        await using var runtime = await SafetyRuntime.StartAsync(settings, LogLevel.None, Ct);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            await runtime.Store.Inbox.GetBlobClient($"{source}/{name}").UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(Path.Combine(folder, name), Ct)), Ct);
        }

        var outcomes = await runtime.Watcher.DrainAsync(Ct);
        var rules = runtime.Services.GetRequiredService<SafetyRules>();
        var (_, subjects, events) = await runtime.Services.GetRequiredService<SnapshotReader>().ReadAsync(new DateOnly(2026, 11, 29), Ct);
        var pipeline = SafetySummary.Compute(rules.Arms, subjects, events);

        var (exit, output, error) = await SafetyProcess.RunAsync(null, folder, ["summarize", .. summarizeArguments, "--population", "roster", "--json"]);

        // Assert
        Assert.True(exit == 0, error);
        Assert.Equal(files.Length, outcomes.Count);
        using var json = JsonDocument.Parse(output);
        var offline = json.RootElement.GetProperty("arms").EnumerateObject().ToDictionary(a => rules.FindArm(a.Name)!.Code, a => a.Value);
        Assert.Equal(pipeline.Arms.Select(a => a.Arm).Order(), offline.Keys.Order());
        foreach (var arm in pipeline.Arms)
        {
            var summary = offline[arm.Arm];
            int Offline(string name) => summary.GetProperty(name).GetInt32();
            var expected = new[]
            {
                ("subjects", arm.Subjects), ("events", arm.Events), ("any grade", arm.SubjectsWithAnyEvent), ("grade >= 3", arm.SubjectsWithGrade3OrWorse),
                ("grade 5", arm.SubjectsWithGrade5), ("serious", arm.SubjectsWithSerious), ("related", arm.SubjectsWithTreatmentRelated), ("fatal", arm.SubjectsWithFatal),
            };
            var actual = new[]
            {
                ("subjects", Offline("subjects")), ("events", Offline("events")), ("any grade", Offline("subjectsWithAnyEvent")), ("grade >= 3", Offline("subjectsWithGrade3OrWorse")),
                ("grade 5", Offline("subjectsWithGrade5")), ("serious", Offline("subjectsWithSerious")), ("related", Offline("subjectsWithRelated")), ("fatal", Offline("subjectsWithFatal")),
            };
            Assert.True(expected.SequenceEqual(actual), $"{source} {arm.Arm}: pipeline {string.Join(", ", expected)}; summarize {string.Join(", ", actual)}");
            Assert.Equal(arm.SubjectsByWorstGrade, Enumerable.Range(1, 5).Select(g => summary.GetProperty("subjectsByWorstGrade").GetProperty(g.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetInt32()));
        }

        TestContext.Current.SendDiagnosticMessage($"{source}: " + string.Join("; ", pipeline.Arms.Select(a => $"{a.Arm} N={a.Subjects} any={a.SubjectsWithAnyEvent} g3={a.SubjectsWithGrade3OrWorse} g5={a.SubjectsWithGrade5} serious={a.SubjectsWithSerious} related={a.SubjectsWithTreatmentRelated} fatal={a.SubjectsWithFatal}")));
    }
}
