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
}
