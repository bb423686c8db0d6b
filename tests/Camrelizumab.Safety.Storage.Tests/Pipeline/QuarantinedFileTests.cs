using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>
/// A file is all or nothing in the counts: ingest writes nothing before the whole file is read, so a file that cannot
/// be read to its end writes nothing; one whose writing fails part-way (slices of about 5,000 rows) takes back what
/// its earlier slices wrote when it ends quarantined.
/// </summary>
public sealed class QuarantinedFileTests(AzuriteFixture azurite)
{
    private const int Rows = 6000;
    private const int EarlierEvents = 100;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Data row <paramref name="row"/> (1-based): 100 AEs per subject, so rows 1–100 are the earlier file's AEs.</summary>
    private static (string Subject, int AeId) Key(int row) => (string.Create(CultureInfo.InvariantCulture, $"BJ01-{((row - 1) / 100) + 1:D3}"), ((row - 1) % 100) + 1);

    [Fact]
    public async Task Csv_WithAnUnterminatedQuoteAtRow5500_LeavesNothingOfItCounted_AndKeepsItsVersionsInHistory()
    {
        var text = new StringBuilder("study_id,subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date\n");
        for (var row = 1; row <= Rows; row++)
        {
            var (subject, ae) = Key(row);
            var term = row == 5500 ? "\"Fatigue" : "Fatigue";
            text.Append(CultureInfo.InvariantCulture, $"CAMREL-RT-EC2,{subject},{ae},{term},2,N,Y,2026-03-01\n");
        }

        await AssertQuarantinedFileLeavesNoTraceAsync("ae-truncated.csv", text.ToString(), "unterminated-quote", wroteFirstSlice: false);
    }

    [Fact]
    public async Task Csv_WhoseWritingFailsAfterItsFirstSlice_LeavesNothingOfItCounted_AndKeepsItsVersionsInHistory()
    {
        var text = new StringBuilder("study_id,subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date\n");
        for (var row = 1; row <= Rows; row++)
        {
            var (subject, ae) = Key(row);
            text.Append(CultureInfo.InvariantCulture, $"CAMREL-RT-EC2,{subject},{ae},Fatigue,2,N,Y,2026-03-01\n");
        }

        // Storage fails for good once the first slice (subjects BJ01-001 to BJ01-010) is written.
        await AssertQuarantinedFileLeavesNoTraceAsync("ae-storage-fault.csv", text.ToString(), "IOException", wroteFirstSlice: true);
    }

    [Fact]
    public async Task DatasetJson_WhoseDeclaredCountFailsAfter6000Rows_LeavesNothingOfItCounted()
    {
        var text = new StringBuilder("""{"datasetJSONVersion":"1.1.0","name":"AE","records":6001,"columns":[{"name":"USUBJID"},{"name":"AESEQ","dataType":"integer"},{"name":"AEDECOD"},{"name":"AETOXGR"}],"rows":[""");
        for (var row = 1; row <= Rows; row++)
        {
            var (subject, ae) = Key(row);
            text.Append(CultureInfo.InvariantCulture, $"""{(row > 1 ? "," : "")}["{subject}",{ae},"Fatigue","2"]""");
        }

        await AssertQuarantinedFileLeavesNoTraceAsync("adam/ae-short.json", text.Append("]}").ToString(), "dataset-json-record-count", wroteFirstSlice: false);
    }

    [Fact]
    public async Task Suppae_WithAnUnterminatedQuoteAtRow5500_LeavesNoQualifierBehind()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var text = new StringBuilder("STUDYID,RDOMAIN,USUBJID,IDVAR,IDVARVAL,QNAM,QLABEL,QVAL\n");
        for (var row = 1; row <= Rows; row++)
        {
            var (subject, ae) = Key(row);
            text.Append(CultureInfo.InvariantCulture, $"CAMREL-RT-EC2,AE,{subject},AESEQ,{ae},AETRTEM,{(row == 5500 ? "\"" : "")}TREATMENT EMERGENT FLAG,N\n");
        }

        await Exports.UploadAsync(store.Inbox, "sdtm/suppae.csv", text.ToString(), Ct);
        var outcome = await pipeline.Ingest(options: new IngestOptions { WriteChunkRows = 1000 }).RunAsync("sdtm/suppae.csv", Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.Empty(await store.Qualifiers.NotTreatmentEmergentAsync(Ct));
    }

    private async Task AssertQuarantinedFileLeavesNoTraceAsync(string name, string content, string reason, bool wroteFirstSlice)
    {
        // Arrange: an earlier file stored the first subject's 100 AEs at grade 1; the bad file would update them to
        // grade 2 and add 5,900 more.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var earlier = new StringBuilder("study_id,subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date\n");
        for (var row = 1; row <= EarlierEvents; row++)
        {
            var (subject, ae) = Key(row);
            earlier.Append(CultureInfo.InvariantCulture, $"CAMREL-RT-EC2,{subject},{ae},Fatigue,1,N,Y,2026-03-01\n");
        }

        await Exports.UploadAsync(store.Inbox, "ae-earlier.csv", earlier.ToString(), Ct);
        await pipeline.Ingest().RunAsync("ae-earlier.csv", Ct);
        var snapshot = new SnapshotReader(store, pipeline.Rules);
        var before = Counted((await snapshot.ReadAsync(new DateOnly(2026, 11, 24), Ct)).Events);
        await Exports.UploadAsync(store.Inbox, name, content, Ct);

        // Act
        var outcome = wroteFirstSlice
            ? await pipeline.Ingest(probe: new StorageFailsAfterFirstSlice(), options: new IngestOptions { WriteChunkRows = 1000, MaxAttempts = 1 }).RunAsync(name, Ct)
            : await pipeline.Ingest(options: new IngestOptions { WriteChunkRows = 1000 }).RunAsync(name, Ct);

        // Assert: quarantined for its reason, and the counted events are exactly those before it.
        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.StartsWith(reason, outcome.Report!.FileError, StringComparison.Ordinal);
        var after = Counted((await snapshot.ReadAsync(new DateOnly(2026, 11, 24), Ct)).Events);
        Assert.Equal(EarlierEvents, before.Count);
        Assert.Equal(before, after);

        // The audit trail keeps what the file wrote: an updated AE has grade 1, 2 (the file), then 1 again; an AE the
        // file inserted is kept, marked deleted. A file that could not be read wrote nothing at all.
        var (updated, updatedDeleted) = await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-001", "7", Ct);
        Assert.Equal(wroteFirstSlice ? [1, 2, 1] : [1], updated.Select(v => v.Grade.Value));
        Assert.False(updatedDeleted);
        var (inserted, insertedDeleted) = await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-005", "1", Ct);
        Assert.Equal(wroteFirstSlice ? 2 : 0, inserted.Count);
        Assert.Equal(wroteFirstSlice, insertedDeleted);
        if (wroteFirstSlice)
        {
            Assert.Equal(name, updated[1].Source.FileName);
            Assert.Empty((await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-050", "1", Ct)).Versions);
        }
    }

    /// <summary>A storage fault that does not go away, from the moment the first slice of events is written.</summary>
    private sealed class StorageFailsAfterFirstSlice : IngestProbe
    {
        public override ValueTask ReachedAsync(IngestStage stage, CancellationToken cancellationToken) =>
            stage == IngestStage.ChunkWritten ? throw new IOException("storage went away") : ValueTask.CompletedTask;
    }

    private static List<string> Counted(IEnumerable<Core.AdverseEvents.AdverseEvent> events) =>
        [.. events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.SubjectId}/{e.AeId}/{e.Grade.Value}/{e.Source.FileName}")).Order(StringComparer.Ordinal)];
}
