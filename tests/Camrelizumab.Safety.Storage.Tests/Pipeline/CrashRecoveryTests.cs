using System.Text;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>
/// A host killed at any point of an ingest: a restarted host (another worker, after the dead one's claim expired)
/// completes the file, and every expedited alert the file raises is reserved and sent exactly once.
/// </summary>
public sealed class CrashRecoveryTests(AzuriteFixture azurite)
{
    private const int Candidates = 12;
    private static readonly IngestOptions SmallChunks = new() { WriteChunkRows = 5 };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<IngestStage, int> Crashes => new()
    {
        { IngestStage.Claimed, 1 },
        { IngestStage.Archived, 1 },
        { IngestStage.ChunkWritten, 1 },
        { IngestStage.ChunkWritten, 2 },
        { IngestStage.RowsWritten, 1 },
        { IngestStage.FactsRefreshed, 1 },
        { IngestStage.ReportWritten, 1 },
        { IngestStage.MessageReserved, 1 },
        { IngestStage.MessageReserved, 7 },
        { IngestStage.MessageReserved, Candidates },
        { IngestStage.MarkedProcessed, 1 },
    };

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task HostKilledMidIngest_ARestartedHostRaisesEveryExpeditedAlertExactlyOnce(IngestStage stage, int occurrence)
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var first = new PipelineFactory(store, _time, transport);
        await Exports.UploadAsync(store.Inbox, "roster.csv", Exports.Roster, Ct);
        await first.Ingest().RunAsync("roster.csv", Ct);
        await Exports.UploadAsync(store.Inbox, "ae.csv", SusarCandidates(), Ct);

        await Assert.ThrowsAsync<SimulatedCrash>(() => first.Ingest(probe: new CrashAt(stage, occurrence), options: SmallChunks).RunAsync("ae.csv", Ct));

        // The dead host sent nothing; another host finds the file once the dead one's claim has expired.
        _time.Advance(FileLedger.ClaimTimeout + TimeSpan.FromMinutes(1));
        var restarted = new PipelineFactory(azurite.OtherHost(store, _time), _time, transport);
        var outcome = await restarted.Ingest(options: SmallChunks).RunAsync("ae.csv", Ct);
        await restarted.DeliverAsync();

        Assert.Equal(stage == IngestStage.MarkedProcessed ? IngestStatus.Duplicate : IngestStatus.Processed, outcome.Status);
        Assert.Equal(nameof(FileStatus.Processed), (await store.FileLedger.FindAsync(outcome.Sha256, Ct))!.GetString("Status"));
        var expedited = transport.Sent.Where(m => (m.Subject ?? "").Contains("EXPEDITED", StringComparison.Ordinal)).ToList();
        Assert.Equal(Candidates, expedited.Count);
        Assert.Equal(Candidates, expedited.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(Candidates, (await store.AlertLedger.ReadEntriesAsync(MessageCategory.Expedited, Ct)).Count);
        Assert.Equal(Candidates, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
        Assert.Empty(await store.AdverseEvents.DigestProblemsAsync(Ct));
    }

    /// <summary>Serious, related, unexpected (Guillain-Barre syndrome is not in the camrelizumab reference list): each a SUSAR candidate.</summary>
    private static string SusarCandidates()
    {
        var csv = new StringBuilder("study_id,subject_id,ae_id,verbatim_term,ctcae_term,meddra_code,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,resolution_date,outcome\n");
        for (var i = 1; i <= Candidates; i++)
        {
            csv.Append($"CAMREL-RT-EC2,BJ01-00{1 + (i % 3)},{i},GBS,Guillain-Barre syndrome,10018767,3,Y,Y,N,2026-02-{i:00},,NOT RECOVERED/NOT RESOLVED\n");
        }

        return csv.ToString();
    }

    /// <summary>Stops the ingest at the n-th time it reaches a stage, as a killed process would: nothing after it runs.</summary>
    private sealed class CrashAt(IngestStage stage, int occurrence) : IngestProbe
    {
        private int _seen;

        public override ValueTask ReachedAsync(IngestStage reached, CancellationToken cancellationToken) =>
            reached == stage && ++_seen == occurrence ? throw new SimulatedCrash() : ValueTask.CompletedTask;
    }

    /// <summary>An <see cref="OperationCanceledException"/>, which the ingest's failure handler lets through untouched, as it would a host shutting down.</summary>
    private sealed class SimulatedCrash() : OperationCanceledException("Simulated crash.");
}
