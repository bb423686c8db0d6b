using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// The timer step that makes the blob trigger's at-least-once real: every blob in <c>ae-inbox</c> whose current version
/// never reached an end in the file ledger (an Event Grid event that ran out of delivery attempts, a delivery that found
/// the content claimed by a worker that then died, a file the host poisoned) is ingested now.
/// </summary>
public sealed class ReconcileInbox(SafetyStore store, IngestAdverseEventExport ingest, TimeProvider timeProvider, ILogger<ReconcileInbox> logger)
{
    /// <summary>A blob this recent may still have its event in flight; it is left to the trigger until the next run.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    /// <summary>Ingests every missed blob; a file that fails again is counted in the ledger and the run fails naming it.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = SafetyTelemetry.ActivitySource.StartActivity("ReconcileInbox");
        var ended = await store.FileLedger.ReadEndedBlobsAsync(cancellationToken);
        var settled = timeProvider.GetUtcNow() - Grace;
        var missed = new List<string>();
        await foreach (var blob in store.Inbox.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var current = FileLedger.Unquoted(blob.Properties.ETag ?? default);
            if ((!ended.TryGetValue(blob.Name, out var etag) || etag != current) && blob.Properties.LastModified <= settled)
            {
                missed.Add(blob.Name);
            }
        }

        var outcomes = new List<IngestOutcome>();
        var failures = new List<Exception>();
        foreach (var name in missed)
        {
            try
            {
                outcomes.Add(await ingest.RunAsync(name, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One unreadable file must not keep the others out of the counts; each failure was counted by the ledger.
                Log.ReconcileFailed(logger, ex, name);
                failures.Add(ex);
            }
        }

        if (missed.Count > 0)
        {
            Log.InboxReconciled(logger, missed.Count, failures.Count);
        }

        return failures.Count == 0
            ? outcomes
            : throw new AggregateException($"Inbox reconciliation: {failures.Count} of {missed.Count} missed file(s) failed again; the next run retries them.", failures);
    }
}
