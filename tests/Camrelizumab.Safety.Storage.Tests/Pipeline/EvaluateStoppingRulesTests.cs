using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

public sealed class EvaluateStoppingRulesTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_Crossing_SendsOneAlertAndNeverAgain()
    {
        var (store, pipeline, pickup) = await ArrangeAsync(new RecordingTransport());

        var first = await pipeline.Evaluate().RunAsync(Ct);
        await pipeline.DeliverAsync();
        _time.Advance(TimeSpan.FromHours(1));
        var second = await pipeline.Evaluate().RunAsync(Ct);
        Assert.Equal(0, (await pipeline.DeliverAsync()).Sent);

        var crossed = Assert.Single(first.Evaluation.Evaluations, e => e.Status == RuleStatus.Crossed);
        Assert.Equal(("fistula-camrt", 2, 2), (crossed.Rule.Id, crossed.Events, crossed.Evaluable));
        Assert.Equal(new RuleCrossing(2, 2, 2), crossed.Crossing);
        Assert.Equal(["fistula-camrt.camrt.1"], first.NewAlerts);
        Assert.Empty(second.NewAlerts);
        // The grade 3 serious fistula related to camrelizumab was also a SUSAR candidate at ingest; count the crossing only.
        var message = Assert.Single(pickup.Sent, m => m.Subject?.Contains("Stopping rule crossed", StringComparison.Ordinal) == true);
        Assert.Contains("Esophageal fistula", message.Subject, StringComparison.Ordinal);
        Assert.Contains("(crossed at look 2, boundary 2)", message.Subject, StringComparison.Ordinal);
        Assert.Contains("What crossed: Crossed at look 2: 2 events among the first 2 enrolled reached its boundary of 2. Stays crossed.", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(["physician@example.org", "dsmb@example.org"], message.To.Mailboxes.Select(m => m.Address));
        var entry = await store.AlertLedger.FindAsync(MessageCategory.Crossing, "fistula-camrt.camrt.1", Ct);
        Assert.Equal(LedgerStatus.Sent, entry!.Status);
    }

    [Fact]
    public async Task Delivery_SmtpDown_KeepsAlertsPendingAndSendsThemAfterTheBackOff()
    {
        var failing = new RecordingTransport { Fail = true };
        var (store, pipeline, _) = await ArrangeAsync(failing);

        await pipeline.Evaluate().RunAsync(Ct);
        // The crossing, plus what ingest reserved: the SUSAR candidate and the two data-manager reports. Two failures
        // in a row and the run stops: the other two are not tried against a dead server.
        Assert.Equal(new Mail.DeliveryRun(0, 2, 2), await pipeline.DeliverAsync());
        var tried = (await store.AlertLedger.PendingAsync(Ct)).Where(e => e.Attempts == 1).ToList();
        Assert.Equal(2, tried.Count);
        Assert.All(tried, e => Assert.Equal(_time.GetUtcNow() + AlertLedger.RetryDelay(1), e.NextAttemptAt));

        // Back on line: the two not tried go at once; the two that failed wait out their back-off.
        failing.Fail = false;
        Assert.Equal(new Mail.DeliveryRun(2, 0, 2), await pipeline.DeliverAsync());
        _time.Advance(AlertLedger.RetryDelay(1));
        Assert.Equal(new Mail.DeliveryRun(2, 0, 0), await pipeline.DeliverAsync());
        Assert.Single(failing.Sent, m => m.Subject?.Contains("Stopping rule crossed", StringComparison.Ordinal) == true);
        Assert.Equal(LedgerStatus.Sent, (await store.AlertLedger.FindAsync(MessageCategory.Crossing, "fistula-camrt.camrt.1", Ct))!.Status);
    }

    [Fact]
    public async Task RunAsync_StoresEvaluationWithTheInputsThatReproduceIt()
    {
        var (store, pipeline, _) = await ArrangeAsync(new RecordingTransport());

        var run = await pipeline.Evaluate().RunAsync(Ct);
        var again = await pipeline.Evaluate().RunAsync(Ct);

        Assert.Equal(run.Evaluation.EvaluationId, again.Evaluation.EvaluationId);
        var row = Assert.Single(await store.RuleEvaluations.ReadAllAsync(run.Evaluation.EvaluationId, Ct), r => r.RuleId == "fistula-camrt");
        Assert.Equal("Crossed", row.Status);
        Assert.Equal(run.Evaluation.DataSnapshotSha256, row.DataSnapshotSha256);
        Assert.Equal(pipeline.Rules.ContentSha256, row.RulesSha256);
        Assert.Equal("BJ01-001;BJ01-002", row.SubjectsWithEvent);
        var aggregate = await store.ArmAggregates.ReadLatestAsync("CAMRT", Ct);
        Assert.Equal(2, aggregate!.SubjectsWithAnyEvent);
        Assert.Equal(1, aggregate.SubjectsWithGrade3OrWorse);
    }

    [Fact]
    public async Task RecomputeEvaluation_ReproducesAPastDecisionAfterTheDataChanged()
    {
        var (store, pipeline, _) = await ArrangeAsync(new RecordingTransport());
        var run = await pipeline.Evaluate().RunAsync(Ct);

        // Later the site downgrades the first fistula to an unrelated anemia: today's data no longer crosses.
        await Exports.UploadAsync(store.Inbox, "ae-v2.csv", Exports.TwoFistulas.Replace("BJ01-001,1,TE fistula,Esophageal fistula,10065851,3", "BJ01-001,1,Anaemia,Anemia,10002272,3", StringComparison.Ordinal), Ct);
        await pipeline.Ingest().RunAsync("ae-v2.csv", Ct);
        _time.Advance(TimeSpan.FromDays(1));
        var later = await pipeline.Evaluate().RunAsync(Ct);

        var recomputed = await new RecomputeEvaluation(store, Core.Ctcae.CtcaeDictionary.V5).RunAsync(run.Evaluation.EvaluationId, Ct);

        Assert.NotEqual(run.Evaluation.EvaluationId, later.Evaluation.EvaluationId);
        Assert.Equal(RuleStatus.Ok, later.Evaluation.Evaluations.Single(e => e.Rule.Id == "fistula-camrt").Status);
        Assert.True(recomputed.Reproduced, string.Join("; ", recomputed.Differences));
        Assert.Equal(8, recomputed.Rules);
        Assert.True(recomputed.SameDictionary);

        // A stored result that no longer matches its inputs is reported, not passed over.
        var ruleEvaluations = store.TableService.GetTableClient(store.Names.RuleEvaluations);
        var row = (await ruleEvaluations.GetEntityAsync<Azure.Data.Tables.TableEntity>(run.Evaluation.EvaluationId, "fistula-camrt", cancellationToken: Ct)).Value;
        row["Events"] = 1;
        await ruleEvaluations.UpdateEntityAsync(row, row.ETag, cancellationToken: Ct);
        var tampered = await new RecomputeEvaluation(store, Core.Ctcae.CtcaeDictionary.V5).RunAsync(run.Evaluation.EvaluationId, Ct);
        Assert.Equal(["fistula-camrt events: stored 1, recomputed 2"], tampered.Differences);
    }

    [Fact]
    public async Task PublishDsmbSummary_WritesClosedReportNamedByScheduleOccurrence()
    {
        var (store, pipeline, _) = await ArrangeAsync(new RecordingTransport());
        var occurrence = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

        var published = await pipeline.Publish().RunAsync(occurrence, Ct);
        var again = await pipeline.Publish().RunAsync(occurrence, Ct);

        Assert.Equal("2026-11-23/dsmb-closed-20261123T0600Z.html", published.ClosedBlob);
        Assert.Equal("2026-11-23/dsmb-open-20261123T0600Z.html", published.OpenBlob);
        Assert.Equal(published, again);
        var html = (await store.DsmbClosed.GetBlobClient(published.ClosedBlob).DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.Contains("CLOSED REPORT", html, StringComparison.Ordinal);
        Assert.Contains("Camrelizumab + radiotherapy (N = 2)", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // The open report is pooled: no arm label, no per-arm rule table.
        var open = (await store.DsmbOpen.GetBlobClient(published.OpenBlob).DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.Contains("OPEN REPORT", open, StringComparison.Ordinal);
        Assert.Contains("All subjects", open, StringComparison.Ordinal);
        Assert.DoesNotContain("Camrelizumab + radiotherapy", open, StringComparison.Ordinal);
        Assert.DoesNotContain("fistula-camrt", open, StringComparison.Ordinal);
        Assert.True(await store.DsmbClosed.GetBlobClient("2026-11-23/tables-20261123T0600Z/rules.csv").ExistsAsync(Ct));
        Assert.False(await store.DsmbOpen.GetBlobClient("2026-11-23/tables-20261123T0600Z/rules.csv").ExistsAsync(Ct));
    }

    private async Task<(SafetyStore Store, PipelineFactory Pipeline, RecordingTransport Transport)> ArrangeAsync(RecordingTransport transport)
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, transport);
        await Exports.UploadAsync(store.Inbox, "roster.csv", Exports.Roster, Ct);
        await Exports.UploadAsync(store.Inbox, "ae.csv", Exports.TwoFistulas, Ct);
        await pipeline.Ingest().RunAsync("roster.csv", Ct);
        await pipeline.Ingest().RunAsync("ae.csv", Ct);
        return (store, pipeline, transport);
    }
}
