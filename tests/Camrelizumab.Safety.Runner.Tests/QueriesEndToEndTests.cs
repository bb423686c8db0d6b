using System.Text.Json;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>
/// Never lose a safety event to a data query (issue #11), end to end on Azurite and maildev: a real death written as
/// free text, a serious event nobody can code yet, and a grade CTCAE does not define are stored, counted, alerted and
/// listed; a coder's decision resolves the uncoded one and the evaluations before and after both recompute exactly.
/// </summary>
public sealed class QueriesEndToEndTests(AzuriteFixture azurite, MaildevFixture maildev)
{
    private const string Roster = """
        subject_id,arm,randomization_date,first_dose_date
        GZ01-001,CAM,2026-09-01,2026-09-03
        GZ01-002,CAM,2026-09-02,2026-09-04
        GZ01-003,CAM,2026-09-03,2026-09-05
        """;

    private const string Export = """
        subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date,outcome
        GZ01-001,1,Patient found dead at home,5,Y,Y,2026-10-01,FATAL
        GZ01-002,1,"Hospitalised, details to follow",4,Y,Y,2026-10-02,NOT RECOVERED
        GZ01-003,1,Alopecia,3,N,Y,2026-10-03,RECOVERED
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UncodedAndQueriedEvents_AreStoredCountedAlerted_AndACoderResolvesThem()
    {
        // Arrange
        var harness = new RunnerHarness(azurite, maildev);
        var (suffix, to) = RunnerHarness.Unique();
        var time = new FakeTimeProvider(Now);
        var cli = new Dictionary<string, string> { ["SAFETY_Storage__NameSuffix"] = suffix };
        await using var runtime = await harness.StartAsync(suffix, to, time);
        await RunnerHarness.UploadAsync(runtime, "roster.csv", Roster);
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        // Act: the export arrives and the hourly evaluation runs.
        await RunnerHarness.UploadAsync(runtime, "ae.csv", Export);
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        var before = runtime.LastEvaluation!.Evaluation;

        // Assert: three events stored, none refused.
        var report = await ReportAsync(runtime, "ae.csv");
        Assert.Equal((3, 3, 0), (report.GetProperty("rowsRead").GetInt32(), report.GetProperty("rowsAccepted").GetInt32(), report.GetProperty("rowsRejected").GetInt32()));
        Assert.Equal(3, (await runtime.Store.AdverseEvents.ReadAllAsync(Ct)).Count);

        // One expedited alert for the death, whatever its verbatim (also a SUSAR candidate, in the same message), and one
        // SUSAR-candidate alert for the uncoded serious related event; Alopecia is neither.
        var expedited = (await harness.MessagesToAsync(to.Dsmb)).Where(m => m.Subject.Contains("EXPEDITED", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, expedited.Count);
        var death = Assert.Single(expedited, m => m.Subject.Contains("Treatment-related death", StringComparison.Ordinal));
        Assert.Contains("subject GZ01-001", death.Subject, StringComparison.Ordinal);
        Assert.Contains("Arm: Camrelizumab", death.Body, StringComparison.Ordinal);
        Assert.Contains("Events awaiting coding: 2 (worst grade 5)", death.Body, StringComparison.Ordinal);
        var susar = Assert.Single(expedited, m => m.Subject.Contains("subject GZ01-002", StringComparison.Ordinal));
        Assert.Contains("term awaiting coding, so expectedness cannot be assessed", susar.Subject, StringComparison.Ordinal);

        // The grade ≥3 treatment-related AE rule counts all three: two uncoded, alopecia at its reported grade.
        var trae = before.Evaluations.Single(e => e.Rule.Id == "g3-trae-cam");
        Assert.Equal((3, 3), (trae.Events, trae.Evaluable));
        Assert.Equal(2, before.DataQueries.EventsAwaitingCoding);

        // The data manager is told about the open coding and grade queries.
        var dataManager = Assert.Single(await harness.MessagesToAsync(to.DataManager));
        Assert.Contains("2 serious event(s) awaiting coding", dataManager.Subject, StringComparison.Ordinal);
        Assert.Contains("Needs doing: line 3: Subject GZ01-002, AE 1 is a serious event whose term is awaiting coding", dataManager.Body, StringComparison.Ordinal);
        Assert.Contains("Grade query: line 4: Subject GZ01-003, AE 1, column grade: grade-not-defined-for-term.", dataManager.Body, StringComparison.Ordinal);

        // safety queries lists them.
        var (queriesExit, queriesOutput, _) = await SafetyProcess.RunAsync(cli, null, "queries", "--json", "--connection-string", azurite.ConnectionString);
        Assert.Equal(0, queriesExit);
        using var queries = JsonDocument.Parse(queriesOutput);
        var kinds = queries.RootElement.GetProperty("queries").EnumerateArray().Select(q => (q.GetProperty("subject").GetString(), q.GetProperty("kind").GetString())).Order().ToList();
        Assert.Equal([("GZ01-001", "uncoded"), ("GZ01-002", "uncoded"), ("GZ01-003", "grade-not-defined-for-term")], kinds);

        // A coder assigns the hospitalisation a term.
        var (pendingExit, pendingOutput, _) = await SafetyProcess.RunAsync(cli, null, "coding", "pending", "--json", "--connection-string", azurite.ConnectionString);
        Assert.Equal(0, pendingExit);
        Assert.Contains("Hospitalised, details to follow", pendingOutput, StringComparison.Ordinal);
        var (assignExit, assignOutput, assignError) = await SafetyProcess.RunAsync(cli, null,
            "coding", "assign", "--verbatim", "hospitalised details to follow", "--term", "General disorders and administration site conditions - Other, specify",
            "--by", "Coder Li", "--reason", "Site: hospitalised for an unknown cause; specify text pending", "--connection-string", azurite.ConnectionString);
        Assert.True(assignExit == 0, assignError);
        Assert.Contains("Recorded:", assignOutput, StringComparison.Ordinal);

        var (_, pendingAfter, _) = await SafetyProcess.RunAsync(cli, null, "coding", "pending", "--json", "--connection-string", azurite.ConnectionString);
        Assert.DoesNotContain("Hospitalised", pendingAfter, StringComparison.Ordinal);
        Assert.Contains("Patient found dead at home", pendingAfter, StringComparison.Ordinal);

        // The next evaluation reflects the code.
        time.Advance(TimeSpan.FromHours(1));
        await runtime.EvaluateTimer.TriggerAsync(Now.AddHours(1), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        var after = runtime.LastEvaluation!.Evaluation;
        Assert.NotEqual(before.EvaluationId, after.EvaluationId);
        Assert.Equal(1, after.DataQueries.EventsAwaitingCoding);
        var (_, _, events) = await runtime.Services.GetRequiredService<SnapshotReader>().ReadAsync(DateOnly.FromDateTime(Now.UtcDateTime), Ct);
        Assert.Equal("General disorders and administration site conditions - Other, specify", events.Single(e => e.SubjectId == "GZ01-002").Term!.Name);
        Assert.Equal(3, after.Evaluations.Single(e => e.Rule.Id == "g3-trae-cam").Events);

        // Both evaluations recompute exactly from their kept inputs.
        foreach (var evaluation in new[] { before, after })
        {
            var (exit, output, error) = await SafetyProcess.RunAsync(cli, null, "rules", "recompute", "--evaluation", evaluation.EvaluationId, "--connection-string", azurite.ConnectionString);
            Assert.True(exit == 0, output + error);
            Assert.Contains("Reproduced exactly", output, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> ReportAsync(Camrelizumab.Safety.Runner.Hosting.SafetyRuntime runtime, string blobName)
    {
        await foreach (var blob in runtime.Store.IngestReports.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, blobName + ".", Ct))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                var content = await runtime.Store.IngestReports.GetBlobClient(blob.Name).DownloadContentAsync(Ct);
                return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
            }
        }

        throw new InvalidOperationException($"No ingest report for {blobName}.");
    }
}
