using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Writes entities in transactions Azure accepts: one partition per batch, at most 100 entities each, and never one key
/// twice in a batch (Azure refuses such a batch whole); a repeated key starts a new batch, so the later entity wins.
/// </summary>
public static class TableBatches
{
    public const int MaxBatchSize = 100;

    public static async Task<int> UpsertAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entities);
        var written = 0;
        foreach (var partition in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in Chunks(partition))
            {
                foreach (var entity in chunk)
                {
                    EntitySize.Check(entity);
                }

                await table.SubmitTransactionAsync(
                    chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
                    cancellationToken);
                written += chunk.Count;
            }
        }

        return written;
    }

    /// <summary>The entities of one partition in order, cut into batches of distinct keys.</summary>
    private static IEnumerable<List<TableEntity>> Chunks(IEnumerable<TableEntity> partition)
    {
        var chunk = new List<TableEntity>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in partition)
        {
            if (chunk.Count == MaxBatchSize || !keys.Add(entity.RowKey))
            {
                yield return chunk;
                chunk = [];
                keys.Clear();
                keys.Add(entity.RowKey);
            }

            chunk.Add(entity);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>Every entity of a table (or of one partition), page by page.</summary>
    public static async Task<List<TableEntity>> ReadAllAsync(TableClient table, string? partitionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var filter = partitionKey is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        var result = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(entity);
        }

        return result;
    }
}
