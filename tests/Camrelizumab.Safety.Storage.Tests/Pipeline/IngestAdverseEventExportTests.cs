using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

public sealed class IngestAdverseEventExportTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_StoresEveryEvent_QueriesWhatIsWrong_AndReportsEveryRefusal()
    {
        // Arrange
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "site-bj01/roster.csv", Exports.Roster, Ct);
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae.csv", Exports.TwoFistulas, Ct);

        // Act
        var roster = await pipeline.Ingest().RunAsync("site-bj01/roster.csv", Ct);
        var events = await pipeline.Ingest().RunAsync("site-bj01/ae.csv", Ct);

        // Assert
        Assert.Equal(IngestStatus.Processed, roster.Status);
        Assert.Equal((4, 3, 1), (roster.Report!.RowsRead, roster.Report.RowsAccepted, roster.Report.RowsRejected));
        var unknownArm = Assert.Single(roster.Report.Rejections);
        Assert.Equal(("site-bj01/roster.csv", 5L, "arm", "Z", "unknown-arm"), (unknownArm.FileName, unknownArm.Line, unknownArm.Column, unknownArm.RawValue, unknownArm.ReasonCode));

        // Alopecia grade 3 (CTCAE defines 1-2) is stored at its reported grade with a query, not refused.
        Assert.Equal((4, 4, 0), (events.Report!.RowsRead, events.Report.RowsAccepted, events.Report.RowsRejected));
        var alopecia = Assert.Single(events.Report.Queries);
        Assert.Equal((4L, "grade", "3", "grade-not-defined-for-term"), (alopecia.Line, alopecia.Column, alopecia.RawValue, alopecia.Code));

        Assert.Equal(4, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
        Assert.Equal(3, (await store.Subjects.ReadAllAsync("CAMREL-RT-EC2", Ct)).Count);

        // The report a data manager opens: the query, and no rejections CSV since no row was refused.
        var report = await store.IngestReports.GetBlobClient(events.ReportBlob).DownloadContentAsync(Ct);
        using var json = JsonDocument.Parse(report.Value.Content.ToString());
        Assert.Equal("processed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("queriesByKind").GetProperty("grade-not-defined-for-term").GetInt32());
        Assert.Null(events.Report.RejectionsCsvBlob);

        // The raw file is archived untouched, named by its SHA-256.
        var archived = await store.Archive.GetBlobClient(events.Sha256).DownloadContentAsync(Ct);
        Assert.Equal(Exports.TwoFistulas, Encoding.UTF8.GetString(archived.Value.Content.ToArray()));
    }

    [Fact]
    public async Task RunAsync_QueriedRows_AreEmailedToDataManagersOnce_WithoutRawValues()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var pipeline = new PipelineFactory(store, _time, transport);
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae.csv", Exports.TwoFistulas, Ct);

        await pipeline.Ingest().RunAsync("site-bj01/ae.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae-again.csv", Exports.TwoFistulas, Ct);
        await pipeline.Ingest().RunAsync("site-bj01/ae-again.csv", Ct);
        await pipeline.DeliverAsync();

        var report = Assert.Single(transport.Sent, m => m.To.Mailboxes.Any(b => b.Address == "data.manager@example.org"));
        Assert.Equal("[CAMREL-RT-EC2] site-bj01/ae.csv: 1 grade query, 4 of 4 rows stored, 1 with open queries", report.Subject);
        Assert.Contains("Grade query: line 4: Subject BJ01-003, AE 1, column grade: grade-not-defined-for-term.", report.TextBody, StringComparison.Ordinal);
        Assert.Contains("ingest-reports/site-bj01/ae.csv.", report.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Hair loss", report.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DataManagerEmail_LeadsWithTheUncodedSeriousEvent_ThenRowsInLineOrder()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var pipeline = new PipelineFactory(store, _time, transport);
        const string export = """
            study_id,subject_id,ae_id,verbatim_term,ctcae_term,meddra_code,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,resolution_date,outcome
            CAMREL-RT-EC2,BJ01-001,1,Anaemia,Anemia,10002272,7,N,Y,,2026-02-01,,
            CAMREL-RT-EC2,BJ01-002,4,Zorblatt crisis,,,3,Y,Y,Y,2026-02-10,,NOT RECOVERED/NOT RESOLVED
            """;
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae.csv", export, Ct);

        await pipeline.Ingest().RunAsync("site-bj01/ae.csv", Ct);
        await pipeline.DeliverAsync();

        var mail = Assert.Single(transport.Sent, m => m.To.Mailboxes.Any(b => b.Address == "data.manager@example.org"));
        Assert.Equal("[CAMREL-RT-EC2] site-bj01/ae.csv: 1 serious event(s) awaiting coding, 1 grade query, 2 of 2 rows stored, 2 with open queries", mail.Subject);
        var text = mail.TextBody ?? "";
        var serious = text.IndexOf("Needs doing: line 3: Subject BJ01-002, AE 4 is a serious event whose term is awaiting coding", StringComparison.Ordinal);
        var other = text.IndexOf("Grade query: line 2: Subject BJ01-001, AE 1, column grade: unreadable-grade. The grade (or severity) is not a CTCAE grade 1 to 5.", StringComparison.Ordinal);
        Assert.True(serious >= 0 && other > serious, text);
        Assert.DoesNotContain("Zorblatt", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Some rows", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FileWithoutHeader_IsQuarantinedAtOnce_AndTheEmailSaysWhatToDoWithoutItsValues()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var pipeline = new PipelineFactory(store, _time, transport);
        await Exports.UploadAsync(store.Inbox, "site-bj01/noheader.csv", "CAMREL-RT-EC2,BJ01-001,1,Secret verbatim,Anemia,10002272,2\n", Ct);

        var outcome = await pipeline.Ingest(maxAttempts: 5).RunAsync("site-bj01/noheader.csv", Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        await pipeline.DeliverAsync();
        var mail = Assert.Single(transport.Sent, m => m.To.Mailboxes.Any(b => b.Address == "data.manager@example.org"));
        Assert.Equal("[CAMREL-RT-EC2] site-bj01/noheader.csv could not be read and is quarantined: nothing from it is stored", mail.Subject);
        Assert.Contains("Export the file again with its header row", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret verbatim", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("BJ01-001", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameFileTwice_ChangesNothing()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "ae.csv", Exports.TwoFistulas, Ct);
        await pipeline.Ingest().RunAsync("ae.csv", Ct);
        var before = await Snapshot(store.TableService.GetTableClient(store.Names.AdverseEvents));
        _time.Advance(TimeSpan.FromHours(1));

        // The same bytes, dropped again under the same and under another name.
        var again = await pipeline.Ingest().RunAsync("ae.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "copy-of-ae.csv", Exports.TwoFistulas, Ct);
        var copy = await pipeline.Ingest().RunAsync("copy-of-ae.csv", Ct);

        Assert.Equal(IngestStatus.Duplicate, again.Status);
        Assert.Equal(IngestStatus.Duplicate, copy.Status);
        Assert.Equal(before, await Snapshot(store.TableService.GetTableClient(store.Names.AdverseEvents)));
    }

    [Fact]
    public async Task RunAsync_ChangedBlobUnderSameName_IsProcessedAsNewVersion()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "ae.csv", Exports.TwoFistulas, Ct);
        var first = await pipeline.Ingest().RunAsync("ae.csv", Ct);

        // The site corrects the second fistula from grade 2 to grade 4.
        await Exports.UploadAsync(store.Inbox, "ae.csv", Exports.TwoFistulas.Replace("Esophageal fistula,10065851,2,N", "Esophageal fistula,10065851,4,Y", StringComparison.Ordinal), Ct);
        var second = await pipeline.Ingest().RunAsync("ae.csv", Ct);

        Assert.Equal(IngestStatus.Processed, second.Status);
        Assert.NotEqual(first.Sha256, second.Sha256);
        var corrected = (await store.AdverseEvents.ReadAllAsync(Ct)).Single(e => e.SubjectId == "BJ01-002");
        Assert.Equal(4, corrected.Grade.Value);
    }

    [Fact]
    public async Task RunAsync_FormatError_IsQuarantinedAtOnceWithReportAndArchived()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        const string broken = "subject_id,ae_id,ctcae_term,grade\nBJ01-001,1,\"Anemia,2\n";
        await Exports.UploadAsync(store.Inbox, "site-sh02/broken.csv", broken, Ct);
        var ingest = pipeline.Ingest(maxAttempts: 5);

        // The bytes decide a format error, so a retry would only read the same error again.
        var outcome = await ingest.RunAsync("site-sh02/broken.csv", Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.Single(outcome.Report!.AttemptErrors);
        Assert.Equal("unterminated-quote (line 2): A quoted field that starts on line 2 is never closed; the file ends inside it.", outcome.Report.FileError);
        Assert.Equal(broken, (await store.Quarantine.GetBlobClient("site-sh02/broken.csv").DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.True(await store.Quarantine.GetBlobClient("site-sh02/broken.csv.error.json").ExistsAsync(Ct));
        Assert.Equal(broken, (await store.Archive.GetBlobClient(outcome.Sha256).DownloadContentAsync(Ct)).Value.Content.ToString());
        var ledger = await store.FileLedger.FindAsync(outcome.Sha256, Ct);
        Assert.Equal(nameof(FileStatus.Quarantined), ledger!.GetString("Status"));

        // Once quarantined, a redelivery does nothing.
        Assert.Equal(IngestStatus.Duplicate, (await ingest.RunAsync("site-sh02/broken.csv", Ct)).Status);
    }

    [Fact]
    public async Task RunAsync_FailureWhileArchiving_IsCountedLikeAnyOther()
    {
        // Under Functions the retries come at once: a failure the ledger did not record would leave a fresh claim, and
        // every retry would find it "held elsewhere" until the host poisoned the file with nothing quarantined.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "site-bj01/roster.csv", Exports.Roster, Ct);
        var ingest = pipeline.Ingest(maxAttempts: 5);
        await store.Archive.DeleteAsync(cancellationToken: Ct);

        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => ingest.RunAsync("site-bj01/roster.csv", Ct));
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => ingest.RunAsync("site-bj01/roster.csv", Ct));
        await store.Archive.CreateIfNotExistsAsync(cancellationToken: Ct);
        var third = await ingest.RunAsync("site-bj01/roster.csv", Ct);

        Assert.Contains("attempt 1 of 5", first.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 2 of 5", second.Message, StringComparison.Ordinal);
        Assert.Equal(IngestStatus.Processed, third.Status);
        Assert.Equal(3, (await store.FileLedger.FindAsync(third.Sha256, Ct))!.GetInt32("Attempts"));
    }

    [Fact]
    public async Task RunAsync_ContentClaimedByAnotherWorker_DoesNothingAndCountsNothing_UntilTheClaimExpires()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        await Exports.UploadAsync(store.Inbox, "site-bj01/roster.csv", Exports.Roster, Ct);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Exports.Roster)));
        await azurite.OtherHost(store, _time).FileLedger.ClaimAsync(sha256, "site-bj01/copy-of-roster.csv", Ct);

        var held = await pipeline.Ingest().RunAsync("site-bj01/roster.csv", Ct);
        _time.Advance(FileLedger.ClaimTimeout + TimeSpan.FromMinutes(1));
        var taken = await pipeline.Ingest().RunAsync("site-bj01/roster.csv", Ct);

        Assert.Equal(IngestStatus.InProgress, held.Status);
        Assert.Equal(IngestStatus.Processed, taken.Status);
        Assert.Equal(2, (await store.FileLedger.FindAsync(sha256, Ct))!.GetInt32("Attempts"));
    }

    [Fact]
    public async Task RunAsync_BytesNoEncodingAccepts_AreReportedAsUndecodable()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        // UTF-16 by its byte-order mark, with an unpaired surrogate in the second line.
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("subject_id,arm\nBJ01-001,"), 0x00, 0xD8, 0x0A, 0x00];
        await store.Inbox.GetBlobClient("bad.csv").UploadAsync(BinaryData.FromBytes(bytes), Ct);

        var outcome = await pipeline.Ingest(maxAttempts: 1).RunAsync("bad.csv", Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.StartsWith("undecodable-text:", outcome.Report!.FileError, StringComparison.Ordinal);
    }

    private static async Task<List<string>> Snapshot(TableClient table)
    {
        var rows = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add($"{entity.PartitionKey}/{entity.RowKey}/{entity.ETag}");
        }

        return rows;
    }
}
