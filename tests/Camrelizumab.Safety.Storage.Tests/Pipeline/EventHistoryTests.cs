using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>A later export updates an AE and keeps its history; a full export marks a missing AE deleted, never erases it.</summary>
public sealed class EventHistoryTests(AzuriteFixture azurite)
{
    private const string Header = "PATNO,AENUM,AETXT,CTCGR,SAEYN,RELCAM,RELRT,STDAT,ENDAT,OUTC";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Export(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";

    [Fact]
    public async Task FullExports_UpdateWithHistory_MarkMissingDeleted_AndRestoreOnReturn()
    {
        // Arrange: the "edc" profile (config/sources.json) maps PATNO, AENUM, … and says its drops are full exports.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var pneumonitis = "BJ01-001,1,Pneumonitis,2,N,Y,Y,2026-02-10,,";
        var rash = "BJ01-001,2,Rash maculo-papular,1,N,Y,,2026-02-12,2026-02-20,RECOVERED/RESOLVED";

        // Act 1: first export.
        await Exports.UploadAsync(store.Inbox, "edc/ae-0101.csv", Export(pneumonitis, rash), Ct);
        var first = await pipeline.Ingest().RunAsync("edc/ae-0101.csv", Ct);

        // Act 2: the pneumonitis worsens to grade 3 and the rash is gone from the EDC.
        _time.Advance(TimeSpan.FromDays(7));
        await Exports.UploadAsync(store.Inbox, "edc/ae-0108.csv", Export("BJ01-001,1,Pneumonitis,3,Y,Y,Y,2026-02-10,,"), Ct);
        var second = await pipeline.Ingest().RunAsync("edc/ae-0108.csv", Ct);

        // Assert: origin and counts.
        Assert.Equal(("edc", true, 2, 0, 0), (first.Report!.Changes!.Source, first.Report.Changes.FullExport, first.Report.Changes.Inserted, first.Report.Changes.Updated, first.Report.Changes.Deleted));
        Assert.Equal((0, 1, 0, 1, false), (second.Report!.Changes!.Inserted, second.Report.Changes.Updated, second.Report.Changes.Unchanged, second.Report.Changes.Deleted, second.Report.Changes.DeletionsHeld));
        Assert.Equal(["BJ01-001/2"], second.Report.Changes.DeletedEvents);

        // The live data hold the grade-3 pneumonitis only; the rash is kept, flagged deleted, with its history.
        var live = await store.AdverseEvents.ReadAllAsync(Ct);
        var event1 = Assert.Single(live);
        Assert.Equal(("1", 3, true, "edc"), (event1.AeId, event1.Grade.Value, event1.Serious, event1.Origin));
        var (pneumonitisVersions, pneumonitisDeleted) = await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-001", "1", Ct);
        Assert.Equal([2, 3], pneumonitisVersions.Select(v => v.Grade.Value));
        Assert.False(pneumonitisDeleted);
        var (rashVersions, rashDeleted) = await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-001", "2", Ct);
        Assert.Equal(2, rashVersions.Count);
        Assert.True(rashDeleted);

        // Act 3: the same export again under a new name changes nothing; the rash coming back restores it.
        await Exports.UploadAsync(store.Inbox, "edc/ae-0108-copy.csv", Export("BJ01-001,1,Pneumonitis,3,Y,Y,Y,2026-02-10,,", rash) + "\n", Ct);
        var third = await pipeline.Ingest().RunAsync("edc/ae-0108-copy.csv", Ct);
        Assert.Equal((0, 0, 1, 1, 0), (third.Report!.Changes!.Inserted, third.Report.Changes.Updated, third.Report.Changes.Unchanged, third.Report.Changes.Restored, third.Report.Changes.Deleted));
        Assert.Equal(2, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
    }

    /// <summary>A full export of 20 AEs, then a truncated one with 3 of them.</summary>
    private async Task<(SafetyStore Store, PipelineFactory Pipeline, string[] Rows, IngestOutcome Truncated)> FullThenTruncatedAsync()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var rows = Enumerable.Range(1, 20).Select(i => $"BJ01-001,{i},Fatigue,1,N,Y,,2026-02-{i:D2},,").ToArray();
        await Exports.UploadAsync(store.Inbox, "edc/full.csv", Export(rows), Ct);
        await pipeline.Ingest().RunAsync("edc/full.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "edc/truncated.csv", Export(rows[..3]), Ct);
        return (store, pipeline, rows, await pipeline.Ingest().RunAsync("edc/truncated.csv", Ct));
    }

    [Fact]
    public async Task FullExport_ThatWouldDeleteMostOfASource_IsHeld()
    {
        var (store, pipeline, _, truncated) = await FullThenTruncatedAsync();

        Assert.True(truncated.Report!.Changes!.DeletionsHeld);
        Assert.Equal((0, 17), (truncated.Report.Changes.Deleted, truncated.Report.Changes.DeletedEvents.Count));
        Assert.Equal(20, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);

        // The data manager checks the export is complete and confirms: the 17 are marked deleted; confirming again does nothing.
        var (source, deleted) = await pipeline.Ingest().ConfirmDeletionsAsync(truncated.Sha256, Ct);
        Assert.Equal(("edc", 17), (source, deleted));
        Assert.Equal(3, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
        Assert.Equal(0, (await pipeline.Ingest().ConfirmDeletionsAsync(truncated.Sha256, Ct)).Deleted);
    }

    [Fact]
    public async Task ConfirmDeletions_IsRefused_WhenALaterExportHasWrittenSince()
    {
        var (store, pipeline, rows, truncated) = await FullThenTruncatedAsync();

        // A later complete export adds AE 21; the truncated one must not be used to delete it.
        await Exports.UploadAsync(store.Inbox, "edc/later.csv", Export([.. rows, "BJ01-001,21,Nausea,1,N,Y,,2026-02-21,,"]), Ct);
        await pipeline.Ingest().RunAsync("edc/later.csv", Ct);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.Ingest().ConfirmDeletionsAsync(truncated.Sha256, Ct));

        Assert.StartsWith("1 of the AEs this export lacks were written after it was ingested (e.g. BJ01-001/21)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(21, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
    }

    [Fact]
    public async Task ConfirmDeletions_IsRefused_ForAnIncrementalSourceOrAnUnknownFile()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae.csv", Exports.TwoFistulas, Ct);
        var incremental = await pipeline.Ingest().RunAsync("site-bj01/ae.csv", Ct);

        var notFull = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.Ingest().ConfirmDeletionsAsync(incremental.Sha256, Ct));
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.Ingest().ConfirmDeletionsAsync("00ff", Ct));

        Assert.Equal("site-bj01/ae.csv belongs to source 'site-bj01', which sends incremental exports: nothing is deleted from it.", notFull.Message);
        Assert.Equal("No file with SHA-256 00ff has been ingested.", unknown.Message);
    }

    [Fact]
    public async Task IncrementalSource_NeverDeletes()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae.csv", Exports.TwoFistulas, Ct);
        await pipeline.Ingest().RunAsync("site-bj01/ae.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae-2.csv", "subject_id,ae_id,ctcae_term,grade\nBJ01-009,1,Fatigue,1\n", Ct);

        var second = await pipeline.Ingest().RunAsync("site-bj01/ae-2.csv", Ct);

        Assert.Equal(("site-bj01", false, 0), (second.Report!.Changes!.Source, second.Report.Changes.FullExport, second.Report.Changes.Deleted));
        Assert.Equal(5, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
    }
}
