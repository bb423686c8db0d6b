using System.Text;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>The blob trigger's path for every format a data manager may drop: the content decides the reader.</summary>
public sealed class IngestFormatsTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SdtmAeXpt_IsRead_AndEveryRowIsStoredOrRefused()
    {
        // The CDISC pilot SDTM AE (SAS XPORT): MedDRA preferred terms, most of which are not CTCAE terms. Read as if it
        // were this trial's (the study id set to the pilot's), every row is stored, the uncoded ones with a query.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath())) { Rules = SafetyRules.LoadDefaults() with { Study = "CDISCPILOT01" } };
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "ae.xpt"), Ct);
        await store.Inbox.GetBlobClient("cdisc/ae.xpt").UploadAsync(BinaryData.FromBytes(bytes), Ct);

        var outcome = await pipeline.Ingest().RunAsync("cdisc/ae.xpt", Ct);

        var report = outcome.Report!;
        Assert.Equal((IngestStatus.Processed, "xpt"), (outcome.Status, report.Encoding));
        Assert.Equal(1191, report.RowsRead);
        Assert.Equal(report.RowsRead, report.RowsAccepted + report.RowsRejected);
        Assert.Equal(report.RowsAccepted, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
        TestContext.Current.SendDiagnosticMessage($"CDISC pilot AE through ingest: {report.RowsAccepted} of {report.RowsRead} stored; queries by kind: {string.Join(", ", report.QueriesByKind.Select(p => $"{p.Key} {p.Value}"))}; refused by reason: {string.Join(", ", report.RejectionsByReason.Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(report.RowsRejected, report.RejectionsByReason.Values.Sum());

        // Record numbers locate the row in the dataset: the first uncoded query names an AETERM/AEDECOD value and a record.
        var first = report.Queries.First(q => q.Code == "uncoded");
        Assert.True(first.Line is >= 1 and <= 1191);
        Assert.Contains(first.Column, new[] { "AEDECOD", "AETERM" });
    }

    [Fact]
    public async Task AnotherStudysFile_IsQuarantinedAtOnce_AndNothingOfItIsStoredOrAlerted()
    {
        // The public CDISC pilot ae.xpt (STUDYID CDISCPILOT01) dropped into this trial's inbox by mistake.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var pipeline = new PipelineFactory(store, _time, transport);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "ae.xpt"), Ct);
        await store.Inbox.GetBlobClient("cdisc/ae.xpt").UploadAsync(BinaryData.FromBytes(bytes), Ct);

        var outcome = await pipeline.Ingest().RunAsync("cdisc/ae.xpt", Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.StartsWith("wrong-study: Every row belongs to study CDISCPILOT01, not CAMREL-RT-EC2", outcome.Report!.FileError, StringComparison.Ordinal);
        Assert.Empty(await store.AdverseEvents.ReadAllAsync(Ct));
        await pipeline.DeliverAsync();
        var mail = Assert.Single(transport.Sent);
        Assert.Equal("[CAMREL-RT-EC2] cdisc/ae.xpt could not be read and is quarantined: nothing from it is stored", mail.Subject);
        Assert.Contains("wrong-study", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetJson_WithTreatmentEmergentFlag_IsStored_AndANonEmergentEventIsNotCounted()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        const string json = """
            {"datasetJSONVersion":"1.1.0","name":"ADAE","records":2,
             "columns":[{"name":"USUBJID"},{"name":"AESEQ","dataType":"integer"},{"name":"AEDECOD"},{"name":"AETOXGR"},{"name":"TRTEMFL"}],
             "rows":[["BJ01-001",1,"Pneumonitis","3","Y"],["BJ01-001",2,"Anaemia","2","N"]]}
            """;
        await store.Inbox.GetBlobClient("adam/adae.json").UploadAsync(BinaryData.FromString(json), Ct);

        var outcome = await pipeline.Ingest().RunAsync("adam/adae.json", Ct);

        Assert.Equal((2L, 2L, "dataset-json"), (outcome.Report!.RowsRead, outcome.Report.RowsAccepted, outcome.Report.Encoding));
        var stored = await store.AdverseEvents.ReadAllAsync(Ct);
        Assert.Equal([true, false], stored.OrderBy(e => e.AeId).Select(e => e.TreatmentEmergent));
        var (_, _, events) = await new SnapshotReader(store, pipeline.Rules).ReadAsync(new DateOnly(2026, 11, 24), Ct);
        Assert.Equal("Pneumonitis", Assert.Single(events).Term!.Name);
    }

    [Fact]
    public async Task XmlWithADtd_IsQuarantined_WithTheReason_AndArchived()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        const string xml = """<?xml version="1.0"?><!DOCTYPE ODM [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><ODM><ClinicalData/></ODM>""";
        await store.Inbox.GetBlobClient("edc-odm/ae.xml").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(xml)), Ct);

        var outcome = await pipeline.Ingest(maxAttempts: 1).RunAsync("edc-odm/ae.xml", Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.Equal("xml-dtd-prohibited: The XML file declares a DTD (DOCTYPE), which is refused: DTDs and entities can read local files or expand without limit.", outcome.Report!.FileError);
        Assert.True((await store.Archive.GetBlobClient(outcome.Sha256).ExistsAsync(Ct)).Value);
    }
}
