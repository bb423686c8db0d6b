using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>Writes entities in transactions Azure accepts: one partition per batch, at most 100 entities each.</summary>
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
            foreach (var chunk in partition.Chunk(MaxBatchSize))
            {
                foreach (var entity in chunk)
                {
                    EntitySize.Check(entity);
                }

                await table.SubmitTransactionAsync(
                    chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
                    cancellationToken);
                written += chunk.Length;
            }
        }

        return written;
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
