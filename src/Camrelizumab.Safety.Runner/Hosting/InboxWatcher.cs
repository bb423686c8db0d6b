using Azure;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>
/// The local stand-in for the blob trigger: every new or changed blob in <c>ae-inbox</c> (by name and ETag) is handed
/// to <see cref="IngestAdverseEventExport"/> at least once; a failed attempt is retried with exponential backoff. The
/// ingest step itself counts attempts in the file ledger and quarantines on the last one, exactly as under Functions.
/// </summary>
public sealed class InboxWatcher(SafetyStore store, IngestAdverseEventExport ingest, TimeProvider timeProvider, RunnerOptions options, ILogger<InboxWatcher> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, ETag> _handled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ETag ETag, int Failures, DateTimeOffset NextTry)> _retrying = new(StringComparer.Ordinal);

    /// <summary>Blobs waiting for a retry.</summary>
    public int Retrying => _retrying.Count;

    /// <summary>Lists the inbox once and ingests every blob that is new, changed, or due for a retry.</summary>
    public async Task<List<IngestOutcome>> PollAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<IngestOutcome>();
        await foreach (var blob in store.Inbox.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var etag = blob.Properties.ETag ?? default;
            if (_handled.TryGetValue(blob.Name, out var done) && done == etag)
            {
                continue;
            }

            var now = timeProvider.GetUtcNow();
            var failures = 0;
            if (_retrying.TryGetValue(blob.Name, out var retry) && retry.ETag == etag)
            {
                if (retry.NextTry > now)
                {
                    continue;
                }

                failures = retry.Failures;
            }

            try
            {
                var outcome = await ingest.RunAsync(blob.Name, cancellationToken);
                outcomes.Add(outcome);
                if (outcome.Status == IngestStatus.InProgress)
                {
                    // Another process holds the content's claim: look again later, as after a failure, without counting one.
                    _retrying[blob.Name] = (etag, failures, now + TimeSpan.FromSeconds(options.RetryBaseSeconds));
                    continue;
                }

                _handled[blob.Name] = etag;
                _retrying.Remove(blob.Name);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(options.RetryBaseSeconds * Math.Pow(2, failures - 1), MaxBackoff.TotalSeconds));
                _retrying[blob.Name] = (etag, failures, now + delay);
                Log.IngestWillRetry(logger, blob.Name, failures, delay.TotalSeconds);
            }
        }

        return outcomes;
    }

    /// <summary>Polls until nothing is waiting for a retry (for the demo and tests); returns every outcome.</summary>
    public async Task<List<IngestOutcome>> DrainAsync(CancellationToken cancellationToken)
    {
        var outcomes = await PollAsync(cancellationToken);
        while (_retrying.Count > 0)
        {
            var next = _retrying.Values.Min(r => r.NextTry);
            var wait = next - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken);
            }

            outcomes.AddRange(await PollAsync(cancellationToken));
        }

        return outcomes;
    }
}
