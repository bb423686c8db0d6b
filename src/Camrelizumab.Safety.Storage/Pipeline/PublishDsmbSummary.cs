using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Reporting;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// The timer step that publishes the DSMB summaries: the closed report (by arm) with its CSV tables to
/// <c>dsmb-closed</c>, the open report (pooled) with its tables to <c>dsmb-open</c>, and a summary email with the
/// closed report attached to the DSMB. Blob names and the email id come from the schedule occurrence, so a retried or
/// caught-up run overwrites its own output and sends nothing twice.
/// </summary>
public sealed class PublishDsmbSummary(
    SafetyStore store,
    SafetyRules rules,
    SnapshotReader snapshot,
    Notifier notifier,
    MailOptions mail,
    TimeProvider timeProvider,
    ILogger<PublishDsmbSummary> logger)
{

    /// <summary>The closed report blob's metadata naming when its data were read: what the next report counts "new" from.</summary>
    private const string GeneratedAtMetadata = "generatedat";

    public async Task<PublishedSummary> RunAsync(DateTimeOffset scheduledTime, CancellationToken cancellationToken)
    {
        using var activity = SafetyTelemetry.ActivitySource.StartActivity("PublishDsmbSummary");
        var asOf = DateOnly.FromDateTime(scheduledTime.UtcDateTime);
        var stamp = Stamp(scheduledTime);
        var (input, evaluation) = await BuildAsync(asOf, stamp, cancellationToken);
        var folder = scheduledTime.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var closed = $"{folder}/dsmb-closed-{stamp}.html";
        await UploadAsync(store.DsmbClosed, closed, DsmbReport.RenderClosed(input), "text/html; charset=utf-8", cancellationToken, new Dictionary<string, string>
        {
            [GeneratedAtMetadata] = input.GeneratedAt.ToString("O", CultureInfo.InvariantCulture),
        });
        foreach (var (name, csv) in DsmbTables.Render(input, closed: true))
        {
            await UploadAsync(store.DsmbClosed, $"{folder}/tables-{stamp}/{name}", csv, "text/csv; charset=utf-8", cancellationToken);
        }

        var open = $"{folder}/dsmb-open-{stamp}.html";
        await UploadAsync(store.DsmbOpen, open, DsmbReport.RenderOpen(input), "text/html; charset=utf-8", cancellationToken);
        foreach (var (name, csv) in DsmbTables.Render(input, closed: false))
        {
            await UploadAsync(store.DsmbOpen, $"{folder}/tables-{stamp}/{name}", csv, "text/csv; charset=utf-8", cancellationToken);
        }

        // Each rule's result at this summary, for "what changed since the last summary" in later alerts.
        var now = timeProvider.GetUtcNow();
        await store.RuleEvaluations.WriteSummaryAsync(evaluation, now, cancellationToken);

        var recipients = mail.AddressesFor(["dsmb"]);
        if (recipients.Count > 0)
        {
            await notifier.ReserveAsync(
                new OutboxMessage(MessageCategory.Summary, $"summary.{stamp}", AlertEmail.ComposeSummary(rules.Study, asOf, input.EvaluationId, input.Evaluations, Path.GetFileName(closed), stamp), recipients,
                    LedgerDetails.Summary($"{store.DsmbClosed.Name}/{closed}", input.EvaluationId)),
                cancellationToken);
        }

        Log.SummaryPublished(logger, closed);
        return new PublishedSummary(closed, open);
    }

    /// <summary>The report input as of a date, from the stored data (also used by <c>safety report</c>).</summary>
    public async Task<DsmbReportInput> BuildInputAsync(DateOnly asOf, CancellationToken cancellationToken) =>
        (await BuildAsync(asOf, Stamp(timeProvider.GetUtcNow()), cancellationToken)).Input;

    /// <summary>A summary's name stamp, from its scheduled time: blobs and the email id carry it.</summary>
    private static string Stamp(DateTimeOffset scheduledTime) => string.Create(CultureInfo.InvariantCulture, $"{scheduledTime.UtcDateTime:yyyyMMdd'T'HHmm}Z");

    private async Task<(DsmbReportInput Input, SafetyEvaluation Evaluation)> BuildAsync(DateOnly asOf, string stamp, CancellationToken cancellationToken)
    {
        var (evaluation, subjects, events) = await snapshot.ReadAsync(asOf, cancellationToken);
        var input = new DsmbReportInput(
            rules.Study,
            asOf,
            timeProvider.GetUtcNow(),
            rules.Version,
            evaluation.DictionaryVersion,
            evaluation.EvaluationId,
            evaluation.Summary,
            evaluation.Evaluations,
            ArmMultiplicity.Compute(rules))
        {
            Subjects = subjects,
            Events = events,
            DataQueries = evaluation.DataQueries,
            IfUncodedQualified = evaluation.IfUncodedQualified,
            Completeness = await CompletenessAsync(events, cancellationToken),
            Exposures = await store.Exposures.ReadAllAsync(cancellationToken),
            Dispositions = await store.Dispositions.ReadAllAsync(cancellationToken),
            PreviousReportAt = await PreviousReportAsync(stamp, cancellationToken),
        };
        return (input, evaluation);
    }

    /// <summary>
    /// When the latest closed report published before this one read its data (its blob's metadata; its scheduled time
    /// for a report written before the metadata existed); <c>null</c> for the first. The previous report is found by
    /// name (stamps sort as times), so a retried run of the same occurrence finds the same one.
    /// </summary>
    private async Task<DateTimeOffset?> PreviousReportAsync(string stamp, CancellationToken cancellationToken)
    {
        (string Stamp, IDictionary<string, string> Metadata)? previous = null;
        await foreach (var blob in store.DsmbClosed.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, null, cancellationToken))
        {
            if (Path.GetFileName(blob.Name) is { } name && name.StartsWith("dsmb-closed-", StringComparison.Ordinal) && name.EndsWith(".html", StringComparison.Ordinal)
                && name["dsmb-closed-".Length..^".html".Length] is var other && string.CompareOrdinal(other, stamp) < 0
                && (previous is null || string.CompareOrdinal(other, previous.Value.Stamp) > 0))
            {
                previous = (other, blob.Metadata);
            }
        }

        if (previous is not { } found)
        {
            return null;
        }

        return found.Metadata.TryGetValue(GeneratedAtMetadata, out var generated) && DateTimeOffset.TryParse(generated, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : DateTimeOffset.TryParseExact(found.Stamp, "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var scheduled) ? scheduled : null;
    }

    /// <summary>Rows refused, files quarantined and the last receipt per site, from the file ledger; how far each site's AE data reach.</summary>
    private async Task<DataCompleteness> CompletenessAsync(IReadOnlyList<Core.AdverseEvents.AdverseEvent> events, CancellationToken cancellationToken)
    {
        var dataThrough = events
            .GroupBy(e => SourceReceipt.SiteOf(e.Source.FileName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Resolution?.Earliest ?? e.Onset?.Earliest).Max(), StringComparer.Ordinal);
        var files = await store.FileLedger.ReadFilesAsync(cancellationToken);
        var processed = files.Where(f => f.Status == FileStatus.Processed).ToList();
        CompletenessCount[] counts =
        [
            new("Rows refused at ingest", processed.Sum(f => f.RowsRejected),
                "Rows that identify no subject and event, belong to another study or repeat a row exactly; each is listed with file, line, column and reason in ingest-reports/ and was sent to the data managers. Events with a data problem are not refused: they are counted, and listed under \"Data awaiting resolution\"."),
            new("Files quarantined (could not be read)", files.Count(f => f.Status == FileStatus.Quarantined),
                "Nothing from them is in the counts; see ae-quarantine/."),
        ];
        var receipts = processed
            .GroupBy(f => SourceReceipt.SiteOf(f.FileName), StringComparer.Ordinal)
            .Select(g =>
            {
                var last = g.MaxBy(f => f.CompletedAt)!;
                return new SourceReceipt(g.Key, last.FileName ?? last.Sha256, last.CompletedAt ?? DateTimeOffset.MinValue, g.Count(), g.Sum(f => f.RowsRejected))
                {
                    DataThrough = dataThrough.GetValueOrDefault(g.Key),
                };
            })
            .OrderBy(r => r.Site, StringComparer.Ordinal)
            .ToList();
        return new DataCompleteness(counts, receipts);
    }

    private static async Task UploadAsync(BlobContainerClient container, string name, string content, string contentType, CancellationToken cancellationToken, IDictionary<string, string>? metadata = null) =>
        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType }, Metadata = metadata },
            cancellationToken);
}

/// <summary>Where a summary run put its two reports.</summary>
public sealed record PublishedSummary(string ClosedBlob, string OpenBlob);
