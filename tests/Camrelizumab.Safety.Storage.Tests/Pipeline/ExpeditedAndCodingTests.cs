using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>Expedited alerts whatever the order files arrive in, and coder decisions dropped as a file.</summary>
public sealed class ExpeditedAndCodingTests(AzuriteFixture azurite)
{
    private const string Header = "subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date,outcome";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExpeditedBeforeTheRoster_IsFollowedByOneArmUpdate_AndACorrectedRedropKeepsTheClock()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var pipeline = new PipelineFactory(store, _time, transport);

        // A serious, related, uncoded event arrives before any roster names its subject.
        await Exports.UploadAsync(store.Inbox, "ae.csv", Header + "\nBJ01-003,5,Collapsed at home,3,Y,Y,2026-02-01,\n", Ct);
        await pipeline.Ingest().RunAsync("ae.csv", Ct);
        await pipeline.DeliverAsync();
        var first = Assert.Single(transport.Sent, m => (m.Subject ?? "").Contains("EXPEDITED", StringComparison.Ordinal));
        Assert.Contains("SUSAR candidate (serious, related; term awaiting coding", first.Subject, StringComparison.Ordinal);
        Assert.Contains("Arm: not in the roster yet", first.TextBody, StringComparison.Ordinal);
        var received = (await store.AlertLedger.FindAsync(MessageCategory.Expedited, "expedited.camrel-rt-ec2.bj01-003.5", Ct))!.ReceivedAt;

        // The roster arrives: one update naming the arm, once, even when the roster is dropped again.
        await Exports.UploadAsync(store.Inbox, "roster.csv", Exports.Roster, Ct);
        await pipeline.Ingest().RunAsync("roster.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "roster-again.csv", Exports.Roster + "\n", Ct);
        await pipeline.Ingest().RunAsync("roster-again.csv", Ct);
        await pipeline.Evaluate().RunAsync(Ct);
        await pipeline.DeliverAsync();
        var update = Assert.Single(transport.Sent, m => (m.Subject ?? "").Contains("EXPEDITED update", StringComparison.Ordinal));
        Assert.Contains("subject BJ01-003 is in arm Camrelizumab (expedited.camrel-rt-ec2.bj01-003.5)", update.Subject, StringComparison.Ordinal);

        // Eight days later a corrected file makes it fatal: a follow-up for the new reason, on the clock of the event's
        // first receipt, not of the corrected file.
        _time.Advance(TimeSpan.FromDays(8));
        await Exports.UploadAsync(store.Inbox, "ae-corrected.csv", Header + "\nBJ01-003,5,Collapsed at home,5,Y,Y,2026-02-01,FATAL\n", Ct);
        await pipeline.Ingest().RunAsync("ae-corrected.csv", Ct);
        await pipeline.DeliverAsync();
        var followUp = Assert.Single(transport.Sent, m => (m.Subject ?? "").Contains("EXPEDITED follow-up", StringComparison.Ordinal));
        Assert.Contains("Treatment-related death", followUp.Subject, StringComparison.Ordinal);
        var stored = await store.AlertLedger.FindAsync(MessageCategory.Expedited, "expedited.camrel-rt-ec2.bj01-003.5.death", Ct);
        Assert.Equal(received, stored!.ReceivedAt);
        Assert.Equal(
            ["EXPEDITED", "EXPEDITED follow-up", "EXPEDITED update"],
            transport.Sent.Select(m => m.Subject ?? "").Where(s => s.Contains("EXPEDITED", StringComparison.Ordinal)).Select(s => s[(s.IndexOf(']', StringComparison.Ordinal) + 2)..s.IndexOf(':', StringComparison.Ordinal)]).Order());
    }

    [Fact]
    public async Task DecisionsFile_IsAppliedWithAReceipt_AndTwiceRecordsNothingMore()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        await Exports.UploadAsync(store.Inbox, "roster.csv", Exports.Roster, Ct);
        await pipeline.Ingest().RunAsync("roster.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "ae.csv", Header + "\nBJ01-003,5,Collapsed at home,3,Y,Y,2026-02-01,\nBJ01-003,6,Feeling off,1,N,Y,2026-02-03,\n", Ct);
        await pipeline.Ingest().RunAsync("ae.csv", Ct);
        const string decisions = """
            verbatim,term,by,reason,action
            collapsed at home,Syncope,Coder Li,Transient loss of consciousness per narrative,
            Feeling off,Not a CTCAE term,Coder Li,guess,
            Feeling off,Malaise,,no name,
            Something never decided,,Coder Li,undo,revoke
            """;
        await Exports.UploadAsync(store.CodingDecisionsInbox, "decisions.csv", decisions, Ct);

        var receipt = await pipeline.Queries().ApplyDecisionFileAsync("decisions.csv", Ct);
        var again = await pipeline.Queries().ApplyDecisionFileAsync("decisions.csv", Ct);

        Assert.Equal((4, 1, 0, 3), (receipt.RowsRead, receipt.Recorded, receipt.Unchanged, receipt.Refused));
        Assert.Equal([("term", 3L), ("by", 4L), ("action", 5L)], receipt.Rows.Where(r => r.Outcome == "refused").Select(r => (r.Column!, r.Line)));
        Assert.Equal((4, 0, 1, 3), (again.RowsRead, again.Recorded, again.Unchanged, again.Refused));
        Assert.True((await store.IngestReports.GetBlobClient($"coding-decisions/decisions.csv.{receipt.Sha256[..12]}.receipt.json").ExistsAsync(Ct)).Value);

        var pending = await pipeline.Queries().PendingCodingAsync(Ct);
        Assert.Equal(["Feeling off"], pending.Select(p => p.Verbatim));
        var open = await pipeline.Queries().ListOpenAsync(Ct);
        Assert.Equal((1, 1), (open.Summary.EventsAwaitingCoding, open.Summary.WorstGradeAwaitingCoding));
        Assert.Single(await pipeline.Queries().HistoryAsync("COLLAPSED AT HOME", Ct));
    }
}
