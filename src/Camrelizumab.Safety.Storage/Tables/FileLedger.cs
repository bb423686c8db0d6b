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
public sealed class FileLedger(TableClient table, TimeProvider timeProvider)
{
    private const string Partition = "sha256";
    private const string BlobPartition = "blob";

    /// <summary>A claim older than this is taken to belong to a worker that died.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    public TableClient Client => table;

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
                    ["FirstSeenAt"] = now,
                    ["Errors"] = "[]",
                };
                try
                {
                    await table.AddEntityAsync(entity, cancellationToken);
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

            if (status == FileStatus.Processing && current.GetDateTimeOffset("ClaimedAt") is { } claimedAt && now - claimedAt < ClaimTimeout)
            {
                return new FileClaim(current.GetInt32("Attempts") ?? 0, false, status, errors, HeldElsewhere: true);
            }

            var attempt = (current.GetInt32("Attempts") ?? 0) + 1;
            current["Status"] = nameof(FileStatus.Processing);
            current["Attempts"] = attempt;
            current["ClaimedAt"] = now;
            current["FileName"] = fileName;
            try
            {
                await table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                return new FileClaim(attempt, false, FileStatus.Processing, errors);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                continue;
            }
        }
    }

    public Task RecordFailureAsync(string sha256, string error, CancellationToken cancellationToken) =>
        UpdateAsync(sha256, FileStatus.Failed, entity =>
        {
            var errors = JsonSerializer.Deserialize<List<string>>(entity.GetString("Errors") ?? "[]") ?? [];
            errors.Add(error.Length > 2000 ? error[..2000] : error);
            entity["Errors"] = JsonSerializer.Serialize(errors.TakeLast(10));
        }, cancellationToken);

    public Task RecordProcessedAsync(string sha256, IReadOnlyDictionary<string, object?> details, CancellationToken cancellationToken) =>
        UpdateAsync(sha256, FileStatus.Processed, entity => Apply(entity, details), cancellationToken);

    public Task RecordQuarantinedAsync(string sha256, IReadOnlyDictionary<string, object?> details, CancellationToken cancellationToken) =>
        UpdateAsync(sha256, FileStatus.Quarantined, entity => Apply(entity, details), cancellationToken);

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

    public async Task<TableEntity?> FindAsync(string sha256, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sha256, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

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
