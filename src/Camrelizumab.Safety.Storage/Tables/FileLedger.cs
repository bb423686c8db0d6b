using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// One entity per distinct file content (PartitionKey "sha256", RowKey = the hash), claimed before processing with
/// optimistic concurrency. Identical content dropped again, under any name, is recognised and left alone; a changed
/// blob under the same name has a new hash and is processed as a new version.
/// </summary>
public sealed class FileLedger(TableClient table, TimeProvider timeProvider)
{
    private const string Partition = "sha256";

    /// <summary>A claim older than this is taken to belong to a worker that died.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    public TableClient Client => table;

    /// <summary>Claims a file for one attempt; throws when another worker holds a fresh claim (the caller retries later).</summary>
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
                throw new InvalidOperationException($"{fileName} (sha256 {sha256}) is being processed by another worker since {claimedAt:O}; it will be retried.");
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
