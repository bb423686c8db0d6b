using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// One entity per distinct file content (PartitionKey "sha256", RowKey = the hash), claimed before processing with
/// optimistic concurrency. Identical content dropped again, under any name, is recognised and left alone; a changed
/// blob under the same name has a new hash and is processed as a new version. A second partition ("blob") records which
/// version (ETag) of each inbox blob reached an end (processed, duplicate or quarantined), for the inbox reconciliation.
/// </summary>
/// <remarks>
/// A claim names the worker (this instance: one per host process) that holds it. A worker whose attempt failed without
/// being able to record it (storage went away mid-ingest) may take its own claim back at once instead of waiting out
/// <see cref="ClaimTimeout"/>, and records the failure it could not record then. Another worker's fresh claim is
/// respected; one older than <see cref="ClaimTimeout"/> is taken to belong to a worker that died.
/// </remarks>
public sealed class FileLedger(TableClient table, TimeProvider timeProvider)
{
    private const string Partition = "sha256";
    private const string BlobPartition = "blob";

    /// <summary>A claim older than this is taken to belong to a worker that died.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The ledger keeps at most this many characters of error text per file (a table property holds 32K).</summary>
    public const int MaxErrorText = 16_000;

    private readonly string _worker = HostName.New();

    /// <summary>Files this worker is processing right now.</summary>
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);

    /// <summary>Failures this worker could not write (storage was down); written with its next claim of the file.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _unrecorded = new(StringComparer.Ordinal);

    /// <summary>This worker's name on its claims.</summary>
    public string Worker => _worker;

    /// <summary>
    /// Claims a file for one attempt. When another worker holds a fresh claim the result says so and counts nothing: that
    /// worker finishes, records a failure (and its delivery is retried), or dies, and the reconciliation finds the file.
    /// </summary>
    public async Task<FileClaim> ClaimAsync(string sha256, string fileName, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        while (true)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sha256, cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value is null)
            {
                var entity = new TableEntity(Partition, sha256)
                {
                    ["Status"] = nameof(FileStatus.Processing),
                    ["FileName"] = fileName,
                    ["Attempts"] = 1,
                    ["ClaimedAt"] = now,
                    ["ClaimedBy"] = _worker,
                    ["FirstSeenAt"] = now,
                    ["Errors"] = "[]",
                };
                try
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                    _active[sha256] = 0;
                    return new FileClaim(1, false, FileStatus.Processing, []);
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    continue;
                }
            }

            var current = existing.Value;
            var status = Enum.Parse<FileStatus>(current.GetString("Status"));
            var errors = JsonSerializer.Deserialize<List<string>>(current.GetString("Errors") ?? "[]") ?? [];
            if (status is FileStatus.Processed or FileStatus.Quarantined)
            {
                return new FileClaim(current.GetInt32("Attempts") ?? 0, true, status, errors);
            }

            var mine = current.GetString("ClaimedBy") == _worker;
            if (status == FileStatus.Processing && (mine ? _active.ContainsKey(sha256) : current.GetDateTimeOffset("ClaimedAt") is { } claimedAt && now - claimedAt < ClaimTimeout))
            {
                return new FileClaim(current.GetInt32("Attempts") ?? 0, false, status, errors, HeldElsewhere: true);
            }

            var attempt = (current.GetInt32("Attempts") ?? 0) + 1;
            if (_unrecorded.TryGetValue(sha256, out var missed))
            {
                errors.AddRange(missed);
            }

            current["Status"] = nameof(FileStatus.Processing);
            current["Attempts"] = attempt;
            current["ClaimedAt"] = now;
            current["ClaimedBy"] = _worker;
            current["FileName"] = fileName;
            current["Errors"] = ErrorsJson(errors);
            try
            {
                await table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                _unrecorded.TryRemove(sha256, out _);
                _active[sha256] = 0;
                return new FileClaim(attempt, false, FileStatus.Processing, errors);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                continue;
            }
        }
    }

    /// <summary>Ends this worker's attempt on a file (whatever its outcome), so that a later delivery may claim it again.</summary>
    public void Release(string sha256) => _active.TryRemove(sha256, out _);

    /// <summary>
    /// Records a failed attempt and releases the claim (status Failed, claimable by any worker). Never throws for the
    /// failure's own text, which is cleaned and cut to fit. When storage itself is failing, the failure is kept by this
    /// worker and written with its next claim of the file; the claim stays this worker's, which it may take back at once.
    /// </summary>
    /// <returns>False when the failure could not be written now.</returns>
    public async Task<bool> RecordFailureAsync(string sha256, string error, CancellationToken cancellationToken)
    {
        var text = Clean(error);
        try
        {
            await UpdateAsync(sha256, FileStatus.Failed, entity =>
            {
                var errors = JsonSerializer.Deserialize<List<string>>(entity.GetString("Errors") ?? "[]") ?? [];
                if (_unrecorded.TryRemove(sha256, out var missed))
                {
                    errors.AddRange(missed);
                }

                errors.Add(text);
                entity["Errors"] = ErrorsJson(errors);
            }, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException)
        {
            // An error response, or (AggregateException) every retry of the storage client failed to connect.
            _unrecorded.GetOrAdd(sha256, _ => new ConcurrentQueue<string>()).Enqueue(text);
            return false;
        }
    }

    /// <summary>One error as kept: control characters shown as U+FFFD, at most 2,000 characters.</summary>
    public static string Clean(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = new StringBuilder(Math.Min(error.Length, 2000));
        foreach (var c in error)
        {
            if (text.Length == 2000)
            {
                text.Length = 1999;
                text.Append('…');
                break;
            }

            text.Append(char.IsControl(c) && c is not ('\n' or '\t') ? '\uFFFD' : c);
        }

        return text.ToString();
    }

    /// <summary>
    /// The newest errors (at most ten) whose JSON fits in <see cref="MaxErrorText"/> characters. One cleaned error always
    /// fits: 2,000 characters escaped at most six each is 12,002.
    /// </summary>
    private static string ErrorsJson(List<string> errors)
    {
        var kept = errors.TakeLast(10).Select(Clean).ToList();
        var json = JsonSerializer.Serialize(kept);
        while (json.Length > MaxErrorText && kept.Count > 1)
        {
            kept.RemoveAt(0);
            json = JsonSerializer.Serialize(kept);
        }

        return json;
    }

    /// <summary>Records that the file was processed: what it held, and where its report and raw bytes are.</summary>
    public Task RecordProcessedAsync(string sha256, Core.Ingest.IngestReport report, string reportBlob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return UpdateAsync(sha256, FileStatus.Processed, entity => Apply(entity, new Dictionary<string, object?>
        {
            ["Kind"] = report.Kind is { } kind ? Core.Text.KebabCase.Name(kind) : null,
            ["RowsRead"] = report.RowsRead,
            ["RowsAccepted"] = report.RowsAccepted,
            ["RowsRejected"] = report.RowsRejected,
            ["EventsAwaitingCoding"] = report.QueriesByKind.GetValueOrDefault(Core.Queries.QueryMessages.Code(Core.Queries.QueryKind.Uncoded)),
            ["ReportBlob"] = reportBlob,
            ["ArchiveBlob"] = report.ArchiveBlob,
        }), cancellationToken);
    }

    /// <summary>Records that the file was quarantined: where its report, the quarantined copy and the raw bytes are.</summary>
    public Task RecordQuarantinedAsync(string sha256, string reportBlob, string quarantineBlob, string archiveBlob, CancellationToken cancellationToken) =>
        UpdateAsync(sha256, FileStatus.Quarantined, entity => Apply(entity, new Dictionary<string, object?>
        {
            ["ReportBlob"] = reportBlob,
            ["QuarantineBlob"] = quarantineBlob,
            ["ArchiveBlob"] = archiveBlob,
        }), cancellationToken);

    /// <summary>Records that this version of an inbox blob reached an end, so the reconciliation leaves it alone.</summary>
    public async Task RecordBlobAsync(string blobName, ETag etag, string sha256, IngestEnd end, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(BlobPartition, TableKey.EncodeOrDigest(blobName))
        {
            ["FileName"] = blobName,
            ["BlobETag"] = Unquoted(etag),
            ["Sha256"] = sha256,
            ["End"] = end.ToString(),
            ["At"] = timeProvider.GetUtcNow(),
        };
        EntitySize.Check(entity);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every inbox blob name with the ETag (unquoted) of the version that last reached an end.</summary>
    public async Task<Dictionary<string, string>> ReadEndedBlobsAsync(CancellationToken cancellationToken)
    {
        var ended = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == BlobPartition, select: ["FileName", "BlobETag"], cancellationToken: cancellationToken))
        {
            ended[entity.GetString("FileName")] = entity.GetString("BlobETag");
        }

        return ended;
    }

    /// <summary>A blob's ETag as listing and download both give it: the download header is quoted, the listing is not.</summary>
    public static string Unquoted(ETag etag) => etag.ToString().Trim('"');

    /// <summary>The raw row, for the ledger's own tests of what it stores; everything else reads <see cref="FindFileAsync"/>.</summary>
    internal async Task<TableEntity?> FindAsync(string sha256, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sha256, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>One file the ledger knows by its SHA-256, typed; <c>null</c> when it has never been claimed.</summary>
    public async Task<LedgerFile?> FindFileAsync(string sha256, CancellationToken cancellationToken) =>
        await FindAsync(sha256, cancellationToken) is { } entity ? LedgerFile.Of(entity) : null;

    /// <summary>Every file the ledger knows (one row per content SHA-256), whatever its status.</summary>
    public async Task<List<LedgerFile>> ReadFilesAsync(CancellationToken cancellationToken) =>
        [.. (await TableBatches.ReadAllAsync(table, Partition, cancellationToken)).Select(LedgerFile.Of)];

    private static void Apply(TableEntity entity, IReadOnlyDictionary<string, object?> details)
    {
        foreach (var (key, value) in details)
        {
            entity[key] = value;
        }
    }

    private async Task UpdateAsync(string sha256, FileStatus status, Action<TableEntity> change, CancellationToken cancellationToken)
    {
        var entity = (await table.GetEntityAsync<TableEntity>(Partition, sha256, cancellationToken: cancellationToken)).Value;
        entity["Status"] = status.ToString();
        entity["CompletedAt"] = timeProvider.GetUtcNow();
        change(entity);
        EntitySize.Check(entity);
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
    }
}
