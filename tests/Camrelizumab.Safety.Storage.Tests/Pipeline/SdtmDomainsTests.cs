using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>SDTM DM, AE, SUPPAE and EX dropped separately, in any order, make one consistent data set.</summary>
public sealed class SdtmDomainsTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DmAeSuppaeEx_InAnyOrder_GiveArmsFirstDosesAndTreatmentEmergentEvents()
    {
        // Arrange: SUPPAE and EX arrive before the DM and AE they refer to.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var files = new (string Name, string Content)[]
        {
            ("sdtm/suppae.csv", "STUDYID,RDOMAIN,USUBJID,IDVAR,IDVARVAL,QNAM,QLABEL,QVAL\nCAMREL-RT-EC2,AE,BJ01-001,AESEQ,1,AETRTEM,TREATMENT EMERGENT FLAG,Y\nCAMREL-RT-EC2,AE,BJ01-001,AESEQ,2,AETRTEM,TREATMENT EMERGENT FLAG,N\n"),
            ("sdtm/ex.csv", "STUDYID,DOMAIN,USUBJID,EXSEQ,EXTRT,EXSTDTC\nCAMREL-RT-EC2,EX,BJ01-001,1,CAMRELIZUMAB,2026-01-12\nCAMREL-RT-EC2,EX,BJ01-001,2,CAMRELIZUMAB,2026-01-09\nCAMREL-RT-EC2,EX,BJ01-002,1,CAMRELIZUMAB,2026-01\n"),
            ("sdtm/dm.csv", "STUDYID,DOMAIN,USUBJID,ARMCD,ARM,RFXSTDTC\nCAMREL-RT-EC2,DM,BJ01-001,CAMRT,Camrelizumab + RT,\nCAMREL-RT-EC2,DM,BJ01-002,CAM,Camrelizumab,2026-01-15\nCAMREL-RT-EC2,DM,BJ01-003,SCRNFAIL,Screen Failure,\n"),
            ("sdtm/ae.csv", "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AEDECOD,AETOXGR,AESER,AEREL\nCAMREL-RT-EC2,AE,BJ01-001,1,RADIATION PNEUMONITIS,Pneumonitis,3,Y,RELATED\nCAMREL-RT-EC2,AE,BJ01-001,2,ANAEMIA,Anaemia,2,N,NOT RELATED\n"),
        };

        // Act
        var outcomes = new List<IngestOutcome>();
        foreach (var (name, content) in files)
        {
            await Exports.UploadAsync(store.Inbox, name, content, Ct);
            outcomes.Add(await pipeline.Ingest().RunAsync(name, Ct));
        }

        // Assert: each file's kind, and every row accounted for.
        Assert.Equal([Core.Ingest.ExportKind.SupplementalQualifiers, Core.Ingest.ExportKind.Exposure, Core.Ingest.ExportKind.SubjectRoster, Core.Ingest.ExportKind.AdverseEvents], outcomes.Select(o => o.Report!.Kind));
        Assert.All(outcomes, o => Assert.Equal(o.Report!.RowsRead, o.Report.RowsAccepted + o.Report.RowsRejected));

        // EXSTDTC 2026-01 is partial: a first dose needs a full date.
        var partial = Assert.Single(outcomes[1].Report!.Rejections);
        Assert.Equal((4L, "EXSTDTC", "2026-01", "invalid-date"), (partial.Line, partial.Column, partial.RawValue, partial.ReasonCode));

        // The screen failure is not an arm, and says so (in ARM, read before ARMCD wherever the columns stand).
        var screenFailure = Assert.Single(outcomes[2].Report!.Rejections);
        Assert.Equal(("ARM", "Screen Failure", "screen-failure"), (screenFailure.Column, screenFailure.RawValue, screenFailure.ReasonCode));

        // First doses: the earliest EX start for BJ01-001 (DM has none), DM's RFXSTDTC for BJ01-002.
        var (_, subjects, events) = await new SnapshotReader(store, pipeline.Rules).ReadAsync(new DateOnly(2026, 11, 24), Ct);
        Assert.Equal(
            [("BJ01-001", "CAMRT", new DateOnly(2026, 1, 9)), ("BJ01-002", "CAM", new DateOnly(2026, 1, 15))],
            subjects.OrderBy(s => s.SubjectId).Select(s => (s.SubjectId, s.Arm, s.FirstDoseDate!.Value)));

        // SUPPAE AETRTEM = N keeps the anaemia out of the counts; it is still stored.
        Assert.Equal("Pneumonitis", Assert.Single(events).Term!.Name);
        Assert.Equal(2, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
    }

    [Fact]
    public async Task ExAndDs_GiveExposureDispositionAndDaysFromLastDose_AndTheSecondSummaryMarksWhatIsNew()
    {
        // Arrange: DM, EX with doses and radiotherapy fractions, DS, and a fatal AE; a first summary, then a new AE.
        // An event's receipt is its blob's creation time on Azurite's clock, so this test's clock follows the real one.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await azurite.CreateStoreAsync(time, Ct);
        var pipeline = new PipelineFactory(store, time, new PickupFolderMailTransport(Path.GetTempPath()));
        var ex = "STUDYID,DOMAIN,USUBJID,EXSEQ,EXTRT,EXDOSE,EXDOSU,EXDOSFRQ,EXSTDTC,EXENDTC\n" +
            string.Concat(Enumerable.Range(0, 4).Select(k => $"CAMREL-RT-EC2,EX,BJ01-001,{k + 1},CAMRELIZUMAB,200,mg,Q2W,{new DateOnly(2026, 1, 9).AddDays(14 * k):yyyy-MM-dd},\n")) +
            "CAMREL-RT-EC2,EX,BJ01-001,5,RADIOTHERAPY,2,Gy,QD,2026-01-12,2026-02-08\n" +
            "CAMREL-RT-EC2,EX,BJ01-002,1,CAMRELIZUMAB,200,mg,Q2W,2026-01-15,\n" +
            "CAMREL-RT-EC2,EX,BJ01-002,2,CAMRELIZUMAB,two hundred,mg,Q2W,2026-01-29,\n";
        var files = new (string Name, string Content)[]
        {
            ("sdtm/dm.csv", "STUDYID,DOMAIN,USUBJID,ARMCD,ARM,RFXSTDTC\nCAMREL-RT-EC2,DM,BJ01-001,CAMRT,Camrelizumab + RT,2026-01-09\nCAMREL-RT-EC2,DM,BJ01-002,CAM,Camrelizumab,2026-01-15\n"),
            ("sdtm/ex.csv", ex),
            ("sdtm/ds.csv", "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,EPOCH,DSSTDTC\n" +
                "CAMREL-RT-EC2,DS,BJ01-001,1,Informed consent,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,SCREENING,2026-01-02\n" +
                "CAMREL-RT-EC2,DS,BJ01-001,2,Died,DEATH,DISPOSITION EVENT,TREATMENT,2026-03-20\n" +
                "CAMREL-RT-EC2,DS,BJ01-002,1,Progression,PROGRESSIVE DISEASE,DISPOSITION EVENT,TREATMENT,2026-03-01\n"),
            ("site-07/ae.csv", "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AEDECOD,AETOXGR,AESER,AEREL,AESTDTC,AEENDTC,AEOUT\nCAMREL-RT-EC2,AE,BJ01-001,1,MASSIVE HAEMATEMESIS,Esophageal hemorrhage,5,Y,RELATED,2026-03-20,2026-03-20,FATAL\n"),
        };
        var outcomes = new List<IngestOutcome>();
        foreach (var (name, content) in files)
        {
            await Exports.UploadAsync(store.Inbox, name, content, Ct);
            outcomes.Add(await pipeline.Ingest().RunAsync(name, Ct));
        }

        time.SetUtcNow(DateTimeOffset.UtcNow);
        var firstReadAt = time.GetUtcNow();
        var first = await pipeline.Publish().RunAsync(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), Ct); // a late run reads today's data
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await Exports.UploadAsync(store.Inbox, "site-07/ae-2.csv", "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AEDECOD,AETOXGR,AESER,AEREL,AESTDTC\nCAMREL-RT-EC2,AE,BJ01-002,1,PNEUMONITIS,Pneumonitis,3,Y,RELATED,2026-02-10\n", Ct);
        await pipeline.Ingest().RunAsync("site-07/ae-2.csv", Ct);
        time.SetUtcNow(DateTimeOffset.UtcNow);
        var second = await pipeline.Publish().RunAsync(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), Ct);
        var again = await pipeline.Publish().RunAsync(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), Ct); // a retried run

        // Assert: the files' kinds; the dose in words is refused on its line, not read as 0.
        Assert.Equal([Core.Ingest.ExportKind.SubjectRoster, Core.Ingest.ExportKind.Exposure, Core.Ingest.ExportKind.Disposition, Core.Ingest.ExportKind.AdverseEvents], outcomes.Select(o => o.Report!.Kind));
        Assert.All(outcomes, o => Assert.Equal(o.Report!.RowsRead, o.Report.RowsAccepted + o.Report.RowsRejected));
        var refused = Assert.Single(outcomes[1].Report!.Rejections);
        Assert.Equal((8L, "EXDOSE", "two hundred", "invalid-number"), (refused.Line, refused.Column, refused.RawValue, refused.ReasonCode));
        Assert.Equal(6, (await store.Exposures.ReadAllAsync(Ct)).Count);
        Assert.Equal(3, (await store.Dispositions.ReadAllAsync(Ct)).Count);

        var firstHtml = (await store.DsmbClosed.GetBlobClient(first.ClosedBlob).DownloadContentAsync(Ct)).Value.Content.ToString();
        var html = (await store.DsmbClosed.GetBlobClient(second.ClosedBlob).DownloadContentAsync(Ct)).Value.Content.ToString();
        var retried = (await store.DsmbClosed.GetBlobClient(again.ClosedBlob).DownloadContentAsync(Ct)).Value.Content.ToString();
        // Exposure: CAM (BJ01-002) one dose, CAMRT (BJ01-001) four doses over 43 days; 28 daily fractions of 2 Gy.
        Assert.Contains("<tr><td>Administrations</td><td>1 (1–1)</td><td>4 (4–4)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Duration on treatment, days</td><td>1 (1–1)</td><td>43 (43–43)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Fractions</td><td>–</td><td>28 (28–28)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Total dose, Gy</td><td>–</td><td>56.0 (56.0–56.0)</td></tr>", html, StringComparison.Ordinal);
        // Disposition from DS, the milestone left out.
        Assert.Contains("<tr><td>PROGRESSIVE DISEASE</td><td>1 (100.0)</td><td>0 (0.0)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>DEATH</td><td>0 (0.0)</td><td>1 (100.0)</td></tr>", html, StringComparison.Ordinal);
        // The death on 2026-03-20: 70 days from the first dose, 28 from the last camrelizumab dose (2026-02-20).
        Assert.Matches("<td>BJ01-001</td><td>CAMRT</td><td>2026-03-20</td><td>70</td><td>28</td><td>Esophageal hemorrhage", html);
        // The site's AE data reach 2026-03-20.
        Assert.Matches("<td>site-07</td><td>2</td><td class=\"text\">site-07/ae-2.csv</td><td>[^<]+</td><td>2026-03-20</td>", html);
        // What is new: nothing in the first summary; the pneumonitis in the second, and in its retry.
        Assert.Contains("This is the first summary: nothing is marked new.", firstHtml, StringComparison.Ordinal);
        var since = $"Since the previous summary ({firstReadAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)";
        Assert.Contains(since + ": 1 adverse event(s) first received, of which 1 serious, 1 grade ≥3 and 0 fatal.", html, StringComparison.Ordinal);
        Assert.Matches("<tr><td><b>NEW</b></td><td>BJ01-002</td><td>CAM</td><td>Pneumonitis", html);
        Assert.Matches("<tr><td></td><td>BJ01-001</td><td>CAMRT</td><td>Esophageal hemorrhage", html);
        Assert.Contains(since, retried, StringComparison.Ordinal);

        // The same EX file again changes nothing.
        await Exports.UploadAsync(store.Inbox, "sdtm/ex-again.csv", ex, Ct);
        await pipeline.Ingest().RunAsync("sdtm/ex-again.csv", Ct);
        Assert.Equal(6, (await store.Exposures.ReadAllAsync(Ct)).Count);
    }
}
