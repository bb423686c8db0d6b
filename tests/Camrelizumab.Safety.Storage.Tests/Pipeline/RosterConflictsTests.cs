using Azure.Data.Tables;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>One bad roster row never stops evaluation, never blocks an expedited alert, never quarantines the roster.</summary>
public sealed class RosterConflictsTests(AzuriteFixture azurite)
{
    private const string RosterHeader = "study_id,subject_id,arm,randomization_date,first_dose_date";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RosterWithASubjectTwice_LoadsEveryOtherSubject_AndReportsEachProblemOnItsRow()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "roster.csv", $"""
            {RosterHeader}
            CAMREL-RT-EC2,S04-0051,CAM,2026-01-05,2026-01-08
            CAMREL-RT-EC2,S04-0052,CAMRT,2026-01-06,2026-01-09
            CAMREL-RT-EC2,S04-0051,CAMRT,2026-01-05,2026-01-08
            CAMREL-RT-EC2,S04-0053,Z,2026-01-07,2026-01-10
            CAMREL-RT-EC2,S04-0054,CAM,2026-02-30,2026-03-02
            CAMREL-RT-EC2,S04-0055,CAM,2026-01-08,2026-01-11
            """, Ct);

        var outcome = await pipeline.Ingest().RunAsync("roster.csv", Ct);

        Assert.Equal(IngestStatus.Processed, outcome.Status);
        Assert.Equal(
            [("S04-0051", "CAM"), ("S04-0052", "CAMRT"), ("S04-0055", "CAM")],
            (await store.Subjects.ReadAllAsync("CAMREL-RT-EC2", Ct)).OrderBy(s => s.SubjectId, StringComparer.Ordinal).Select(s => (s.SubjectId, s.Arm)));
        Assert.Equal(
            [(4L, "arm", "CAMRT", "conflicting-subject"), (5L, "arm", "Z", "unknown-arm"), (6L, "randomization_date", "2026-02-30", "invalid-date")],
            outcome.Report!.Rejections.Select(r => (r.Line, r.Column, r.RawValue, r.ReasonCode)));
    }

    [Fact]
    public async Task SubjectStoredUnderAnotherStudy_ThenATreatmentRelatedDeath_ReservesTheExpeditedAlert_AndEvaluationRuns()
    {
        // Arrange: the trial's roster names S04-0052 in CAM; a second roster names it under another study id, which is
        // refused on its row. An earlier version stored such a row: it is written here as that version left it.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var pipeline = new PipelineFactory(store, _time, transport);
        await Exports.UploadAsync(store.Inbox, "roster.csv", $"{RosterHeader}\nCAMREL-RT-EC2,S04-0052,CAM,2026-01-05,2026-01-08\n", Ct);
        await pipeline.Ingest().RunAsync("roster.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "roster-2.csv", $"{RosterHeader}\nCAMREL-RT-EC2,S04-0053,CAMRT,2026-01-06,2026-01-09\nCAMREL-RT-EC3,S04-0052,CAMRT,2026-01-05,2026-01-08\n", Ct);
        var second = await pipeline.Ingest().RunAsync("roster-2.csv", Ct);
        await store.TableService.GetTableClient(store.Names.Subjects).UpsertEntityAsync(new TableEntity(TableKey.Encode("CAMREL-RT-EC3"), TableKey.Encode("S04-0052"))
        {
            ["StudyId"] = "CAMREL-RT-EC3",
            ["SubjectId"] = "S04-0052",
            ["Arm"] = "CAMRT",
            ["RandomizationDate"] = "2026-01-05",
            ["FirstDoseDate"] = "2026-01-08",
        }, cancellationToken: Ct);
        await Exports.UploadAsync(store.Inbox, "ae-death.csv", "subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date,outcome\nS04-0052,1,Pneumonitis,5,Y,Y,2026-02-01,FATAL\n", Ct);

        // Act
        var death = await pipeline.Ingest().RunAsync("ae-death.csv", Ct);
        var run = await pipeline.Evaluate().RunAsync(Ct);
        await pipeline.DeliverAsync();

        // Assert: the other study's row is a per-row refusal; the death is alerted in the trial's arm and evaluated.
        Assert.Equal(IngestStatus.Processed, second.Status);
        Assert.Equal((3L, "wrong-study"), (Assert.Single(second.Report!.Rejections).Line, second.Report.Rejections[0].ReasonCode));
        Assert.Equal(IngestStatus.Processed, death.Status);
        var alert = await store.AlertLedger.FindAsync(MessageCategory.Expedited, "expedited.camrel-rt-ec2.s04-0052.1", Ct);
        Assert.Equal("CAM", alert!.Arm);
        Assert.Contains(transport.Sent, m => (m.Subject ?? "").Contains("EXPEDITED", StringComparison.Ordinal));
        var (_, subjects, events) = await new SnapshotReader(store, pipeline.Rules).ReadAsync(new DateOnly(2026, 11, 24), Ct);
        Assert.Equal(("S04-0052", "CAM"), (subjects.Single(s => s.SubjectId == "S04-0052").SubjectId, subjects.Single(s => s.SubjectId == "S04-0052").Arm));
        Assert.Equal(5, Assert.Single(events).Grade.Value);
        Assert.NotNull(run.Evaluation);
    }
}
