using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Intake;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// Ingests one blob from <c>ae-inbox</c>: hash it, claim it in the file ledger, archive the raw bytes by SHA-256,
/// read every row, upsert the accepted events or subjects, and write the ingest report (JSON plus a CSV of all
/// rejections). Safe under at-least-once triggers: identical content is processed once.
/// </summary>
/// <remarks>
/// Every delivery that claims the file counts as an attempt, and any failure after the claim (archiving included) is
/// recorded in the ledger and rethrown so the host retries. On the <see cref="IngestOptions.MaxAttempts"/>th attempt the
/// file is quarantined instead (original copied to <c>ae-quarantine</c> with an error report beside it) and the call
/// returns normally, before the host's own poison threshold (host.json <c>poisonBlobThreshold</c>, which is higher).
/// </remarks>
public sealed class IngestAdverseEventExport(
    SafetyStore store,
    SafetyRules rules,
    CtcaeDictionary dictionary,
    IngestOptions options,
    ExpectedAdverseEvents expected,
    SourceProfiles sources,
    Notifier notifier,
    MailOptions mail,
    ExpeditedArmUpdates armUpdates,
    SnapshotReader snapshot,
    IngestProbe probe,
    TimeProvider timeProvider,
    ILogger<IngestAdverseEventExport> logger)
{

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<IngestOutcome> RunAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        using var activity = SafetyTelemetry.ActivitySource.StartActivity("IngestAdverseEventExport");
        activity?.SetTag("blob.name", blobName);

        await using var content = await DownloadAsync(store.Inbox.GetBlobClient(blobName), cancellationToken);
        var sha256 = content.Sha256;
        var claim = await store.FileLedger.ClaimAsync(sha256, blobName, cancellationToken);
        if (claim.AlreadyDone)
        {
            Log.IngestDuplicate(logger, blobName, claim.Status.ToString().ToLowerInvariant(), sha256);
            await store.FileLedger.RecordBlobAsync(blobName, content.ETag, sha256, IngestEnd.Duplicate, cancellationToken);
            return new IngestOutcome(IngestStatus.Duplicate, blobName, sha256, null, null);
        }

        if (claim.HeldElsewhere)
        {
            Log.IngestHeldElsewhere(logger, blobName, sha256);
            return new IngestOutcome(IngestStatus.InProgress, blobName, sha256, null, null);
        }

        Log.IngestStarted(logger, blobName, sha256, claim.Attempt);
        try
        {
            await probe.ReachedAsync(IngestStage.Claimed, cancellationToken);
            return await AttemptAsync(content, blobName, claim, cancellationToken);
        }
        finally
        {
            store.FileLedger.Release(sha256);
        }
    }

    private async Task<IngestOutcome> AttemptAsync(DownloadedBlob content, string blobName, FileClaim claim, CancellationToken cancellationToken)
    {
        var sha256 = content.Sha256;
        var archiveBlob = sha256;
        try
        {
            await ArchiveAsync(content, blobName, cancellationToken);
            await probe.ReachedAsync(IngestStage.Archived, cancellationToken);
            var processed = await ProcessAsync(content, blobName, archiveBlob, cancellationToken);
            await store.FileLedger.RecordBlobAsync(blobName, content.ETag, sha256, IngestEnd.Processed, cancellationToken);
            return processed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex is ExportFormatException format
                ? $"{format.ReasonCode}: {format.Message}"
                : $"{ex.GetType().Name}: {ex.Message}";
            // Never throws for storage faults: a failure storage would not take is written with this worker's next claim.
            await store.FileLedger.RecordFailureAsync(sha256, error, cancellationToken);
            Log.IngestFailed(logger, ex, blobName, claim.Attempt, options.MaxAttempts);
            // A format error is in the bytes, which a retry reads again: only other faults (storage, network) are retried.
            if (claim.Attempt < options.MaxAttempts && ex is not ExportFormatException)
            {
                throw new InvalidOperationException($"Ingest of {blobName} failed on attempt {claim.Attempt} of {options.MaxAttempts}: {FileLedger.Clean(error)}", ex);
            }

            var quarantined = await QuarantineAsync(content, blobName, archiveBlob, [.. claim.PreviousErrors, FileLedger.Clean(error)], ex as ExportFormatException, cancellationToken);
            await store.FileLedger.RecordBlobAsync(blobName, content.ETag, sha256, IngestEnd.Quarantined, cancellationToken);
            return quarantined;
        }
    }

    private async Task<IngestOutcome> ProcessAsync(DownloadedBlob content, string blobName, string archiveBlob, CancellationToken cancellationToken)
    {
        if (content.Length > options.MaxFileBytes)
        {
            throw new ExportFormatException("file-too-large", $"The file is {content.Length:N0} bytes; the limit is {options.MaxFileBytes:N0}.");
        }

        content.Stream.Position = 0;
        var profile = sources.For(blobName);
        TabularReader opened;
        try
        {
            opened = TabularFile.Open(new KeepOpenStream(content.Stream), blobName, profile.Sheet);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ExportFormatException("undecodable-text", "The text does not decode in the encoding its first bytes indicate (BOM, UTF-8, GB18030 or Windows-1252).", null, ex);
        }

        using var table = opened;
        var encodingName = (table as CsvTableReader)?.EncodingName ?? table.Format;
        var reportName = ReportName(blobName, content.Sha256);
        var csvName = reportName[..^".json".Length] + ".rejections.csv";
        // Accepted events wait on local disk until the whole file is read, then are written partition by partition.
        await using var events = new EventSpill(options.WriteChunkRows);
        var receivedAt = content.ReceivedAt ?? timeProvider.GetUtcNow();
        var contents = new FileContents(await store.CodingDecisions.ReadAllAsync(cancellationToken), expected, rules.Study, receivedAt, events.Add);
        // Every rejection goes to the CSV beside the report; a temporary file keeps memory flat when most rows are bad.
        await using var rejectionsCsv = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        // The file's (subject, AE id) keys, kept on local disk too: the write asks it which stored AEs a full export holds.
        using var index = new FileEventIndex();
        var reader = Read(table, blobName, content.Sha256, profile, receivedAt, contents, rejectionsCsv, encodingName, index);
        var tally = contents.Tally;
        tally.Reconcile(blobName, reader.RowsRead);
        if (tally.AnotherStudy(reader.RowsRead) is { } study)
        {
            // A whole file of another study (the CDISC pilot dropped into this trial's inbox): nothing of it may count
            // here, and retrying cannot change that, so it is quarantined at once.
            var wrongStudy = new ExportFormatException("wrong-study", $"Every row belongs to study {study}, not {rules.Study}; the file was dropped into the wrong trial's inbox.");
            return await QuarantineAsync(content, blobName, archiveBlob, [$"{wrongStudy.ReasonCode}: {wrongStudy.Message}"], wrongStudy, cancellationToken);
        }

        var changes = await ApplyAsync(contents, reader, profile, events, blobName, receivedAt, cancellationToken);

        string? csvBlob = null;
        if (tally.Rejected > 0)
        {
            rejectionsCsv.Position = 0;
            await store.IngestReports.GetBlobClient(csvName).UploadAsync(rejectionsCsv, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" } }, cancellationToken);
            csvBlob = csvName;
        }

        var report = tally.Report(new IngestReport
        {
            FileName = blobName,
            Sha256 = content.Sha256,
            Status = IngestReportStatus.Processed,
            Kind = reader.Kind,
            Encoding = encodingName,
            CodingByMethod = reader.CodingByMethod,
            CodedForReview = reader.CodedForReview,
            LabGradeQueries = reader.LabGradeQueries,
            Changes = changes,
            ArchiveBlob = archiveBlob,
            RejectionsCsvBlob = csvBlob,
            ProcessedAt = timeProvider.GetUtcNow(),
            Queries = contents.Queries.Listed,
            QueriesByKind = contents.Queries.ByKind,
            EventsWithQueries = contents.Queries.EventsWithQueries,
            SeriousAwaitingCoding = contents.Queries.SeriousAwaitingCoding,
        }, reader.RowsRead);
        await WriteReportAsync(reportName, report, cancellationToken);
        await probe.ReachedAsync(IngestStage.ReportWritten, cancellationToken);

        // Every message the file raises is reserved before the file is marked processed: a crash before that leaves the
        // file unprocessed, its next attempt screens the same rows again, and the reservations, keyed by event, do not
        // double. The delivery timer sends them; ingest never waits for a mail server.
        await RaiseExpeditedAsync(contents.Expedited, cancellationToken);
        if (reader.Kind == ExportKind.SubjectRoster)
        {
            await armUpdates.RaiseAsync(cancellationToken);
        }

        await TellDataManagersAsync(report, reportName, cancellationToken);
        await store.FileLedger.RecordProcessedAsync(content.Sha256, report, reportName, cancellationToken);
        await probe.ReachedAsync(IngestStage.MarkedProcessed, cancellationToken);
        SafetyTelemetry.RowsAccepted.Add(tally.Accepted);
        SafetyTelemetry.RowsRejected.Add(tally.Rejected);
        Log.IngestCompleted(logger, blobName, KebabCase.Name(reader.Kind), report.RowsRead, report.RowsAccepted, report.RowsRejected);
        return new IngestOutcome(IngestStatus.Processed, blobName, content.Sha256, report, reportName);
    }

    /// <summary>Reads every row of the file into <paramref name="contents"/>, each refusal also into the rejections CSV.</summary>
    private ExportReader Read(
        TabularReader table, string blobName, string sha256, SourceProfile profile, DateTimeOffset receivedAt, FileContents contents, Stream rejectionsCsv, string encodingName, EventIndex index)
    {
        using var csvText = new StreamWriter(rejectionsCsv, new UTF8Encoding(true), leaveOpen: true);
        var csv = new CsvWriter(csvText);
        csv.WriteRow(["file", "line", "column", "raw_value", "reason_code", "message"]);
        try
        {
            var reader = ExportReader.Open(table, blobName, sha256, rules, dictionary, profile, DateOnly.FromDateTime(receivedAt.UtcDateTime), index);
            foreach (var row in reader.ReadRows())
            {
                if (contents.Add(row) is { } rejection)
                {
                    csv.WriteRow([rejection.FileName, rejection.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), rejection.Column, rejection.RawValue, rejection.ReasonCode, rejection.Message]);
                }
            }

            return reader;
        }
        catch (DecoderFallbackException ex)
        {
            throw new ExportFormatException("undecodable-text", $"The file stopped decoding as {encodingName} part-way through.", null, ex);
        }
    }

    /// <summary>
    /// Applies a file read whole: its events version by version (each subject's facts folded from its partition as the
    /// write leaves it), its roster, SUPPAE, EX and DS records, and for a full export the deletions of what it lacks
    /// (unless held); then refolds the subjects whose facts the write did not leave final.
    /// </summary>
    /// <returns>For an AE file, what changed in the stored events.</returns>
    private async Task<EventChanges?> ApplyAsync(
        FileContents contents, ExportReader reader, SourceProfile profile, EventSpill events, string blobName, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        // The facts of the subjects written are folded from the partitions as the write leaves them, slice by slice (a
        // file without events, such as a roster, has none to fold and reads nothing for them).
        var fullExport = profile.FullExport && reader.Kind == ExportKind.AdverseEvents;
        var fold = reader.EventSubjects.Count == 0 ? null : await snapshot.Facts.BeginFileAsync([.. reader.EventSubjects.Select(subject => (rules.Study, subject))], everySubject: fullExport, cancellationToken);
        var written = await store.AdverseEvents.WriteAsync(
            events, fullExport ? (profile.Name, reader.HoldsEvent) : null, timeProvider.GetUtcNow(), receivedAt,
            async () =>
            {
                if (fold is not null)
                {
                    await fold.FlushAsync(cancellationToken);
                }

                await probe.ReachedAsync(IngestStage.ChunkWritten, cancellationToken);
            },
            fold,
            cancellationToken);
        var versions = written.Versions;
        await store.Subjects.UpsertAsync(contents.Subjects, cancellationToken);
        await store.Qualifiers.UpsertAsync(contents.Qualifiers, blobName, cancellationToken);
        await store.Subjects.RecordExposureAsync(contents.FirstExposure, cancellationToken);
        await store.Exposures.UpsertAsync(contents.Exposures, blobName, cancellationToken);
        await store.Dispositions.UpsertAsync(contents.Dispositions, blobName, cancellationToken);
        await VerifyWrittenAsync(reader.Kind, contents.Subjects, cancellationToken);
        await probe.ReachedAsync(IngestStage.RowsWritten, cancellationToken);
        EventChanges? changes = null;
        List<(string SubjectId, string AeId)> missing = [];
        if (reader.Kind == ExportKind.AdverseEvents)
        {
            var held = false;
            if (profile.FullExport)
            {
                (missing, held) = await store.AdverseEvents.MarkMissingDeletedAsync(written, blobName, timeProvider.GetUtcNow(), cancellationToken);
            }

            changes = new EventChanges(profile.Name, profile.FullExport, versions.Inserted, versions.Updated, versions.Unchanged, versions.Restored,
                held ? 0 : missing.Count, held, [.. missing.Take(IngestReport.MaxListedRejections).Select(k => $"{k.SubjectId}/{k.AeId}")]);
        }

        // The subjects whose facts the write did not leave final: those with events this export deleted (a held deletion
        // changed nothing) and those SUPPAE qualified, refolded from storage.
        await snapshot.Facts.RefreshAsync(missing.Where(_ => !(changes?.DeletionsHeld ?? false)).Select(k => (rules.Study, k.SubjectId)).Concat(contents.Qualifiers.Select(q => (q.StudyId, q.SubjectId))), cancellationToken);
        await probe.ReachedAsync(IngestStage.FactsRefreshed, cancellationToken);
        return changes;
    }

    /// <summary>
    /// Applies the deletions held back from a full export (it lacked more than half of its source's AEs): re-reads the
    /// archived file and marks the source's AEs it lacks deleted. For a data manager who has checked that the export is
    /// complete. Refused for incremental sources, for files not processed, and when a later export has written since.
    /// </summary>
    public async Task<(string Source, int Deleted)> ConfirmDeletionsAsync(string sha256, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        var entry = await store.FileLedger.FindFileAsync(sha256, cancellationToken)
            ?? throw new InvalidOperationException($"No file with SHA-256 {sha256} has been ingested.");
        var fileName = entry.FileName ?? sha256;
        if (entry.Status != FileStatus.Processed)
        {
            throw new InvalidOperationException($"{fileName} (SHA-256 {sha256}) was not processed ({entry.Status?.ToString() ?? "unknown"}); there is nothing to confirm.");
        }

        var profile = sources.For(fileName);
        if (!profile.FullExport)
        {
            throw new InvalidOperationException($"{fileName} belongs to source '{profile.Name}', which sends incremental exports: nothing is deleted from it.");
        }

        await using var content = await DownloadAsync(store.Archive.GetBlobClient(entry.ArchiveBlob ?? sha256), cancellationToken);
        using var table = TabularFile.Open(new KeepOpenStream(content.Stream), fileName, profile.Sheet);
        using var index = new FileEventIndex();
        var reader = ExportReader.Open(table, fileName, sha256, rules, dictionary, profile, index: index);
        foreach (var unused in reader.ReadRows())
        {
        }

        var (deleted, _) = await store.AdverseEvents.MarkMissingDeletedAsync(
            profile.Name, reader.HoldsEvent, fileName, timeProvider.GetUtcNow(), entry.UpdatedAt ?? timeProvider.GetUtcNow(), cancellationToken);
        await snapshot.Facts.RefreshAsync(deleted.Select(k => (rules.Study, k.SubjectId)), cancellationToken);
        Log.DeletionsConfirmed(logger, fileName, profile.Name, deleted.Count);
        return (profile.Name, deleted.Count);
    }

    /// <summary>
    /// Reserves one expedited alert per event (treatment-related death, SUSAR candidate, or both, named in one message),
    /// to be sent by the delivery timer. The clock starts at the event's first receipt, kept with the stored event, so a corrected
    /// re-drop does not restart it. An event already alerted that now qualifies for another reason gets a follow-up for
    /// that reason only.
    /// </summary>
    private async Task RaiseExpeditedAsync(List<ExpeditedAlert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        var firstReceived = await store.AdverseEvents.FirstReceivedAsync(alerts.Select(a => a.Event), cancellationToken);
        var queries = await snapshot.DataQueriesAsync(cancellationToken);
        var arms = (await store.Subjects.ReadAllAsync(rules.Study, cancellationToken)).ToDictionary(s => s.SubjectId, s => s.Arm, StringComparer.Ordinal);
        foreach (var screened in alerts)
        {
            var arm = arms.GetValueOrDefault(screened.Event.SubjectId);
            var alert = screened with
            {
                ArmLabel = arm is null ? null : rules.Arms.FirstOrDefault(a => a.Code == arm)?.Label ?? arm,
                ReceivedAt = firstReceived.GetValueOrDefault((screened.Event.SubjectId, screened.Event.AeId), screened.ReceivedAt),
            };
            var existing = await store.AlertLedger.FindAsync(MessageCategory.Expedited, alert.AlertId, cancellationToken);
            if (existing is null)
            {
                await ReserveExpeditedAsync(alert, alert.AlertId, arm, queries, cancellationToken);
                continue;
            }

            var named = ExpeditedLedger.KindsOf(existing);
            foreach (var kind in alert.Kinds.Where(k => !named.Contains(k)))
            {
                await ReserveExpeditedAsync(alert with { Kinds = [kind] }, ExpeditedAlert.FollowUpId(alert.AlertId, kind), arm, queries, cancellationToken);
            }
        }
    }

    private async Task ReserveExpeditedAsync(ExpeditedAlert alert, string alertId, string? arm, Core.Queries.DataQuerySummary queries, CancellationToken cancellationToken)
    {
        var reservation = await notifier.ReserveAsync(new OutboxMessage(
            MessageCategory.Expedited,
            alertId,
            AlertEmail.ComposeExpedited(alert, alertId, queries),
            mail.AddressesFor(mail.EffectiveExpeditedRoles),
            ExpeditedLedger.Details(alert, arm)), cancellationToken);
        if (reservation.Created)
        {
            Log.ExpeditedRaised(logger, alertId, string.Join('+', alert.Kinds));
        }

        await probe.ReachedAsync(IngestStage.MessageReserved, cancellationToken);
    }

    /// <summary>Emails the data managers when a file had rejected rows or was quarantined; once per file content.</summary>
    private async Task TellDataManagersAsync(IngestReport report, string reportName, CancellationToken cancellationToken)
    {
        var recipients = mail.AddressesFor(["dataManagers"]);
        if (recipients.Count == 0 || (report.RowsRejected == 0 && report.EventsWithQueries == 0 && report.LabGradeQueries.Count == 0 && report.Changes is not { Deleted: > 0 } and not { DeletionsHeld: true } && report.Status != IngestReportStatus.Quarantined))
        {
            return;
        }

        await notifier.ReserveAsync(
            new OutboxMessage(MessageCategory.Ingest, $"ingest.{report.Sha256[..16]}", AlertEmail.ComposeIngestReport(rules.Study, report, reportName), recipients,
                LedgerDetails.Ingest(report.FileName, report.RowsRejected)),
            cancellationToken);
        await probe.ReachedAsync(IngestStage.MessageReserved, cancellationToken);
    }

    /// <summary>
    /// Reads back a roster's subjects and checks the count, so a silent partial write cannot pass for success. Events
    /// are not read back: every batch that writes them must be acknowledged entity by entity (<see cref="AdverseEventTable.WriteAsync"/>).
    /// </summary>
    private async Task VerifyWrittenAsync(ExportKind kind, List<Subject> subjects, CancellationToken cancellationToken)
    {
        if (kind != ExportKind.SubjectRoster)
        {
            return;
        }

        var ids = (await store.Subjects.ReadAllAsync(rules.Study, cancellationToken)).Select(s => s.SubjectId).ToHashSet(StringComparer.Ordinal);
        var missing = subjects.Count(s => !ids.Contains(s.SubjectId));
        if (missing > 0)
        {
            throw new InvalidOperationException($"Read-back is missing {missing} of {subjects.Count} subjects just written.");
        }
    }

    private async Task<IngestOutcome> QuarantineAsync(DownloadedBlob content, string blobName, string archiveBlob, IReadOnlyList<string> errors, ExportFormatException? format, CancellationToken cancellationToken)
    {
        // Nothing of a quarantined file may count: what its earlier chunks wrote is taken back (kept in history).
        await store.AdverseEvents.RevertFileAsync(content.Sha256, blobName, timeProvider.GetUtcNow(), cancellationToken);
        await snapshot.Facts.RefreshRevertedAsync(content.Sha256, cancellationToken);
        content.Stream.Position = 0;
        await store.Quarantine.GetBlobClient(blobName).UploadAsync(content.Stream, overwrite: true, cancellationToken);
        var fileError = format is null
            ? errors[^1]
            : format.Line is { } line ? $"{format.ReasonCode} (line {line}): {format.Message}" : $"{format.ReasonCode}: {format.Message}";
        var report = new IngestReport
        {
            FileName = blobName,
            Sha256 = content.Sha256,
            Status = IngestReportStatus.Quarantined,
            FileError = fileError,
            AttemptErrors = errors,
            ArchiveBlob = archiveBlob,
            ProcessedAt = timeProvider.GetUtcNow(),
        };
        var errorBlob = ReportBlobName.Fit(blobName, ".error.json");
        await store.Quarantine.GetBlobClient(errorBlob).UploadAsync(BinaryData.FromObjectAsJson(report, ReportJson), overwrite: true, cancellationToken);
        var reportName = ReportName(blobName, content.Sha256);
        await WriteReportAsync(reportName, report, cancellationToken);
        await store.FileLedger.RecordQuarantinedAsync(content.Sha256, reportName, blobName, archiveBlob, cancellationToken);
        await TellDataManagersAsync(report, reportName, cancellationToken);
        SafetyTelemetry.FilesQuarantined.Add(1);
        Log.IngestQuarantined(logger, blobName, errors.Count, errorBlob);
        return new IngestOutcome(IngestStatus.Quarantined, blobName, content.Sha256, report, reportName);
    }

    private async Task WriteReportAsync(string reportName, IngestReport report, CancellationToken cancellationToken) =>
        await store.IngestReports.GetBlobClient(reportName).UploadAsync(
            BinaryData.FromObjectAsJson(report, ReportJson),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);

    /// <summary>The raw bytes, named by their SHA-256, written once and never overwritten.</summary>
    private async Task ArchiveAsync(DownloadedBlob content, string blobName, CancellationToken cancellationToken)
    {
        var archiveName = content.Sha256;
        content.Stream.Position = 0;
        try
        {
            await store.Archive.GetBlobClient(archiveName).UploadAsync(content.Stream, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = new Dictionary<string, string> { ["originalname"] = Uri.EscapeDataString(blobName) },
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already archived: identical bytes, since the name is their hash.
        }
    }

    /// <summary>The report's name, leaving room for the rejections CSV named from it (".json" becomes ".rejections.csv").</summary>
    private static string ReportName(string blobName, string sha256) => ReportBlobName.Fit(blobName, $".{sha256[..12]}.json", ".rejections.csv".Length - ".json".Length);

    private static async Task<DownloadedBlob> DownloadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            await using (var source = download.Value.Content)
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            await file.FlushAsync(cancellationToken);
            return new DownloadedBlob(file, Convert.ToHexStringLower(sha.GetHashAndReset()), download.Value.Details.CreatedOn == default ? null : download.Value.Details.CreatedOn, download.Value.Details.ETag);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lets a table reader own its stream without closing the downloaded file, which is archived afterwards.</summary>
    private sealed class KeepOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class DownloadedBlob(FileStream stream, string sha256, DateTimeOffset? receivedAt, ETag etag) : IAsyncDisposable
    {
        /// <summary>The version of the inbox blob that was read.</summary>
        public ETag ETag => etag;

        /// <summary>When the blob was created in ae-inbox: day 0 of the expedited-reporting clock.</summary>
        public DateTimeOffset? ReceivedAt => receivedAt;

        public FileStream Stream => stream;

        public string Sha256 => sha256;

        public long Length => stream.Length;

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
