using System.Diagnostics;
using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// A scratch table for measuring the storage floor (<c>safety bench pipeline</c>): the entities ingest would write,
/// upserted directly in batches of at most 100 of one partition, <see cref="AdverseEventTable.Parallelism"/> at a
/// time, with no reads, versions or facts; then read back by one query. Dropped when disposed.
/// </summary>
public sealed class FloorTable : IAsyncDisposable
{
    private readonly TableClient _table;

    private FloorTable(TableClient table) => _table = table;

    public static async Task<FloorTable> CreateAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        var table = new TableClient(connectionString, name);
        await table.CreateIfNotExistsAsync(cancellationToken);
        return new FloorTable(table);
    }

    /// <summary>Upserts every slice's entities; the time spent in the upserts alone.</summary>
    public async Task<TimeSpan> UpsertAsync(EventSpill events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var elapsed = TimeSpan.Zero;
        foreach (var slice in events.Slices())
        {
            var batches = slice.Entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).SelectMany(p => p.Chunk(TableBatches.MaxBatchSize)).ToList();
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = AdverseEventTable.Parallelism, CancellationToken = cancellationToken }, async (batch, token) =>
                await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
            elapsed += Stopwatch.GetElapsedTime(started);
        }

        return elapsed;
    }

    /// <summary>Reads every entity back by one query of the whole table: how many, and how long it took.</summary>
    public async Task<(int Entities, TimeSpan Elapsed)> ScanAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var scanned = 0;
        await foreach (var unused in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            scanned++;
        }

        return (scanned, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Drops the table, so what is measured next starts on an emulator as empty as the floor's was.</summary>
    public async ValueTask DisposeAsync() => await _table.DeleteAsync();
}
