using Azure;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Stored adverse events, current version only. PartitionKey = study|subject, RowKey = AE id (both
/// <see cref="TableKey"/>-encoded), so one subject's events share a partition. A later export with the same identity
/// and different content becomes version n+1; version n moves to the history table (RowKey = AE id + "~" + version), so
/// every grade change, resolution and deletion can be traced. Deleted events stay, flagged, and are not read as live.
/// </summary>
/// <remarks>
/// Several hosts may write the same AEs at once (the Functions app scales out). Every change of a current row is
/// conditional on the ETag it was computed from (an insert on the row not existing), one transaction per chunk of a
/// partition; when another host wrote first, the chunk is read again and recomputed, so version n+1 always follows the
/// version n it was computed from and no version is lost, repeated or skipped. A history row is a copy of version n
/// written before the current row changes: any host that read version n writes the same copy, and a crash between the
/// two writes is repaired by the next attempt with the same keys. Which file superseded version n, and when, is on
/// version n+1 (<c>ChangedByFile</c>/<c>ChangedAt</c>, <c>DeletedByFile</c>/<c>DeletedAt</c> or
/// <c>RevertedFile</c>/<c>RevertedAt</c>), never on the copy, which a losing host may also have written.
/// </remarks>
public sealed class AdverseEventTable(TableClient table, TableClient history, CtcaeDictionary dictionary)
{
    /// <summary>Attempts at one chunk; each failed attempt means another host changed some of its AEs meanwhile.</summary>
    private const int MaxConflictAttempts = 50;

    /// <summary>Properties that are bookkeeping, not content: a change in them alone is not a new version.</summary>
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag", "SourceFile", "SourceSha256", "SourceLine", "Version", "Deleted", "DeletedByFile", "DeletedAt", "ChangedByFile", "ChangedAt", "FirstReceivedAt",
        "RevertedFile", "RevertedSha256", "RevertedAt",
    };

    private enum Change
    {
        Unchanged,
        Inserted,
        Updated,
        Restored,
        Deleted,
        Reverted,
    }

    /// <summary>The subjects of the AE versions a quarantined file's revert touched (their <c>RevertedSha256</c>).</summary>
    public async Task<HashSet<(string StudyId, string SubjectId)>> SubjectsRevertedByAsync(string sha256, CancellationToken cancellationToken)
    {
        var subjects = new HashSet<(string, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RevertedSha256 eq {sha256}"), select: ["StudyId", "SubjectId"], cancellationToken: cancellationToken))
        {
            subjects.Add((e.GetString("StudyId"), e.GetString("SubjectId")));
        }

        return subjects;
    }

    public static string PartitionKeyFor(string studyId, string subjectId) => TableKey.Encode($"{studyId}|{subjectId}");

    /// <summary>Writes the events as new versions where their content changed; returns what happened to each.</summary>
    /// <param name="receivedAt">When the file holding the events arrived. An event keeps the arrival of the first file
    /// that held it (<see cref="AdverseEvent.FirstReceivedAt"/>, day 0 of the ICH E2A clock) across later versions.</param>
    /// <remarks>An AE given twice becomes two successive versions (written one after the other), never two rows of one
    /// key in a batch, which Azure would refuse whole.</remarks>
    public async Task<VersionCounts> UpsertAsync(IEnumerable<AdverseEvent> events, DateTimeOffset at, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await using var spill = new EventSpill(int.MaxValue);
        foreach (var e in events)
        {
            spill.Add(e);
        }

        return (await WriteAsync(spill, null, at, receivedAt, () => ValueTask.CompletedTask, null, cancellationToken)).Versions;
    }

    /// <summary>
    /// Writes a file's events slice by slice (<see cref="EventSpill"/>): the stored rows of a slice's partitions are
    /// read once, then each partition's new versions are written in batches of at most 100, <see cref="Parallelism"/>
    /// partitions at a time. Nothing written is read back; a batch the service did not acknowledge entity by entity fails.
    /// </summary>
    /// <param name="fullExport">For a full export, its source and the (subject, AE id) keys of every row it holds. The
    /// stored rows are then read by one scan of the table in key order, consumed slice by slice as the slices come (in
    /// the same order), so each stored row is read once and the source's live AEs the export lacks are found in the
    /// same reads (<see cref="FileWrite.Missing"/>). The order only saves reads: a row that comes late is still seen,
    /// and a version computed without it is refused by its condition and recomputed.</param>
    /// <param name="sliceWritten">Called after each slice is written.</param>
    /// <param name="partitionWritten">Called (concurrently) when a subject's partition is written, with its live events
    /// as this write leaves them: the rows it read and the versions it wrote (so the subject's facts can be folded
    /// without reading the partition again). A row another host writes to the partition afterwards is not among them.</param>
    public async Task<FileWrite> WriteAsync(
        EventSpill events,
        (string Origin, IReadOnlyCollection<(string SubjectId, string AeId)> Present)? fullExport,
        DateTimeOffset at,
        DateTimeOffset receivedAt,
        Func<ValueTask> sliceWritten,
        Action<(string StudyId, string SubjectId), List<AdverseEvent>>? partitionWritten,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(sliceWritten);
        var counts = new int[Enum.GetValues<Change>().Length];
        var present = fullExport?.Present as IReadOnlySet<(string, string)> ?? fullExport?.Present.ToHashSet();
        var missing = new List<(string PartitionKey, string RowKey, string SubjectId, string AeId)>();
        var live = 0L;
        await using var scan = fullExport is null ? null : new OrderedScan(table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken));
        foreach (var slice in events.Slices())
        {
            var byPartition = slice.Entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).ToList();
            Dictionary<string, Dictionary<string, TableEntity>> stored;
            if (fullExport is { } full)
            {
                var incoming = slice.Entities.Select(e => (e.PartitionKey, e.RowKey)).ToHashSet();
                live += incoming.Count;
                stored = await scan!.ReadThroughAsync(slice.Through, byPartition.Select(p => p.Key).ToHashSet(StringComparer.Ordinal), row =>
                {
                    if (row.GetString("Origin") != full.Origin || row.GetBoolean("Deleted") is true)
                    {
                        return;
                    }

                    if (!present!.Contains((row.GetString("SubjectId"), row.GetString("AeId"))))
                    {
                        missing.Add((row.PartitionKey, row.RowKey, row.GetString("SubjectId"), row.GetString("AeId")));
                        live++;
                    }
                    else if (!incoming.Contains((row.PartitionKey, row.RowKey)))
                    {
                        live++;
                    }
                });
            }
            else
            {
                stored = new(StringComparer.Ordinal);
                var read = new System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, TableEntity>>(StringComparer.Ordinal);
                await Parallel.ForEachAsync(byPartition, Options(cancellationToken), async (partition, token) => read[partition.Key] = await ReadPartitionAsync(partition.Key, token));
                foreach (var (key, rows) in read)
                {
                    stored[key] = rows;
                }
            }

            await Parallel.ForEachAsync(byPartition, Options(cancellationToken), async (partition, token) =>
            {
                var rows = stored.GetValueOrDefault(partition.Key) ?? new(StringComparer.Ordinal);
                var rounds = partition.GroupBy(e => e.RowKey, StringComparer.Ordinal)
                    .SelectMany(key => key.Select((entity, occurrence) => (Entity: entity, Occurrence: occurrence)))
                    .GroupBy(e => e.Occurrence)
                    .OrderBy(round => round.Key);
                foreach (var round in rounds)
                {
                    if (round.Key > 0)
                    {
                        // The same AE again in this file (rare): its next version follows the one just written.
                        rows = await ReadPartitionAsync(partition.Key, token);
                    }

                    var incoming = round.ToDictionary(e => e.Entity.RowKey, e => e.Entity, StringComparer.Ordinal);
                    foreach (var chunk in incoming.Keys.Chunk(TableBatches.MaxBatchSize))
                    {
                        foreach (var change in await WriteVersionsAsync(partition.Key, chunk, rows, (key, existing) => NextVersion(incoming[key], existing, at, receivedAt), token))
                        {
                            Interlocked.Increment(ref counts[(int)change]);
                        }
                    }
                }

                if (partitionWritten is not null)
                {
                    var first = partition.First();
                    partitionWritten((first.GetString("StudyId"), first.GetString("SubjectId")), [.. rows.Values.Where(e => e.GetBoolean("Deleted") is not true).Select(FromEntity)]);
                }
            });
            await sliceWritten();
        }

        var versions = new VersionCounts(counts[(int)Change.Inserted], counts[(int)Change.Updated], counts[(int)Change.Unchanged], counts[(int)Change.Restored], 0);
        return new FileWrite(versions, [.. missing.Select(m => (m.PartitionKey, m.RowKey, m.SubjectId, m.AeId))], live);
    }

    /// <summary>Partitions written (and, for a full export's slices, read) at once.</summary>
    public const int Parallelism = 8;

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    /// <summary>One scan of the table, handed out in key ranges as the slices of a file come.</summary>
    private sealed class OrderedScan(IAsyncEnumerator<TableEntity> rows) : IAsyncDisposable
    {
        private TableEntity? _next;
        private bool _ended;

        /// <summary>
        /// The rows up to <paramref name="through"/> (null: all that remain), each shown to <paramref name="inspect"/>;
        /// the rows of the partitions in <paramref name="written"/> are returned by partition and row key.
        /// </summary>
        public async Task<Dictionary<string, Dictionary<string, TableEntity>>> ReadThroughAsync(string? through, HashSet<string> written, Action<TableEntity> inspect)
        {
            var result = new Dictionary<string, Dictionary<string, TableEntity>>(StringComparer.Ordinal);
            while (true)
            {
                TableEntity row;
                if (_next is not null)
                {
                    (row, _next) = (_next, null);
                }
                else if (_ended || !await rows.MoveNextAsync())
                {
                    _ended = true;
                    break;
                }
                else
                {
                    row = rows.Current;
                }

                if (through is not null && string.CompareOrdinal(row.PartitionKey, through) > 0)
                {
                    _next = row;
                    break;
                }

                inspect(row);
                if (written.Contains(row.PartitionKey))
                {
                    if (!result.TryGetValue(row.PartitionKey, out var partition))
                    {
                        result[row.PartitionKey] = partition = new(StringComparer.Ordinal);
                    }

                    partition[row.RowKey] = row;
                }
            }

            return result;
        }

        public ValueTask DisposeAsync() => rows.DisposeAsync();
    }

    private static (TableEntity? Next, Change Change) NextVersion(TableEntity incoming, TableEntity? stored, DateTimeOffset at, DateTimeOffset receivedAt)
    {
        var entity = new TableEntity(incoming);
        if (stored is null)
        {
            entity["FirstReceivedAt"] = receivedAt;
            return (entity, Change.Inserted);
        }

        var wasDeleted = stored.GetBoolean("Deleted") is true;
        if (!wasDeleted && SameContent(stored, entity))
        {
            return (null, Change.Unchanged);
        }

        entity["FirstReceivedAt"] = stored.GetDateTimeOffset("FirstReceivedAt") is { } first && first < receivedAt ? first : receivedAt;
        entity["ChangedByFile"] = entity.GetString("SourceFile");
        entity["ChangedAt"] = at;
        return (entity, wasDeleted ? Change.Restored : Change.Updated);
    }

    /// <summary>
    /// After a full export of <paramref name="origin"/>: every live event of that origin the export does not hold is
    /// marked deleted (its last version kept in history), unless <see cref="Core.Ingest.DeletionHold.Holds"/> says the
    /// export looks truncated, when the deletions are held back for the data manager instead.
    /// </summary>
    /// <returns>The deleted (or, when held, the would-be deleted) events' keys, and whether the deletion was held.</returns>
    /// <param name="confirmedAsOf">When a data manager confirms held deletions: apply them whatever their share, but
    /// refuse if any of them was written after this time (by a later export, which this one must not undo).</param>
    public async Task<(List<(string SubjectId, string AeId)> Missing, bool Held)> MarkMissingDeletedAsync(
        string origin, IReadOnlyCollection<(string SubjectId, string AeId)> present, string fileName, DateTimeOffset at, DateTimeOffset? confirmedAsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);
        var keep = present.ToHashSet();
        var live = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Origin eq {origin}"), cancellationToken: cancellationToken))
        {
            if (entity.GetBoolean("Deleted") is not true)
            {
                live.Add(entity);
            }
        }

        var missing = live.Where(e => !keep.Contains((e.GetString("SubjectId"), e.GetString("AeId")))).ToList();
        var keys = missing.Select(e => (e.GetString("SubjectId"), e.GetString("AeId"))).ToList();
        if (confirmedAsOf is { } asOf)
        {
            var later = missing.Where(e => e.Timestamp > asOf).Select(e => $"{e.GetString("SubjectId")}/{e.GetString("AeId")}").ToList();
            if (later.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{later.Count} of the AEs this export lacks were written after it was ingested (e.g. {string.Join(", ", later.Take(5))}); a later export of source '{origin}' has arrived, so this one cannot be used to delete. Drop a complete current export instead.");
            }
        }
        else if (Core.Ingest.DeletionHold.Holds(missing.Count, live.Count))
        {
            return (keys, true);
        }

        foreach (var partition in missing.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            await DeleteAsync(partition.Key, partition.ToDictionary(e => e.RowKey, StringComparer.Ordinal), fileName, at, cancellationToken);
        }

        return (keys, false);
    }

    /// <summary>
    /// After a full export written by <see cref="WriteAsync"/>: marks deleted the live AEs of its source it lacks, found
    /// in the reads of that write, unless <see cref="Core.Ingest.DeletionHold.Holds"/> says the export looks truncated.
    /// Only the partitions holding such AEs are read again, for the versions the deletions follow.
    /// </summary>
    public async Task<(List<(string SubjectId, string AeId)> Missing, bool Held)> MarkMissingDeletedAsync(FileWrite written, string fileName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        var keys = written.Missing.Select(m => (m.SubjectId, m.AeId)).ToList();
        if (Core.Ingest.DeletionHold.Holds(written.Missing.Count, (int)Math.Min(int.MaxValue, written.Live)))
        {
            return (keys, true);
        }

        await Parallel.ForEachAsync(written.Missing.GroupBy(m => m.PartitionKey, StringComparer.Ordinal), Options(cancellationToken), async (partition, token) =>
        {
            var stored = await ReadPartitionAsync(partition.Key, token);
            var lacking = partition.Select(m => m.RowKey).ToHashSet(StringComparer.Ordinal);
            await DeleteAsync(partition.Key, stored.Where(e => lacking.Contains(e.Key)).ToDictionary(StringComparer.Ordinal), fileName, at, token);
        });
        return (keys, false);
    }

    /// <summary>Marks these stored rows of one partition deleted (a new version each), unless already deleted.</summary>
    private async Task DeleteAsync(string partitionKey, Dictionary<string, TableEntity> stored, string fileName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var chunk in stored.Keys.ToList().Chunk(TableBatches.MaxBatchSize))
        {
            await WriteVersionsAsync(partitionKey, chunk, stored, (_, existing) => existing is null || existing.GetBoolean("Deleted") is true
                ? (null, Change.Unchanged)
                : (new TableEntity(existing) { ["Deleted"] = true, ["DeletedByFile"] = fileName, ["DeletedAt"] = at }, Change.Deleted), cancellationToken);
        }
    }

    /// <summary>
    /// Takes back from the counts what one file content wrote, for a file that ends quarantined: every AE whose current
    /// version came from it gets a new version holding what it held before the file (its latest earlier version from
    /// another file), or, when the file inserted it, is marked deleted. Nothing is erased: the file's versions stay in
    /// history, and the new version names the file in <c>RevertedFile</c>. An AE a later file has changed since is left
    /// alone (its current version is that file's). Safe to repeat.
    /// </summary>
    /// <returns>How many AEs were reverted.</returns>
    public async Task<int> RevertFileAsync(string sha256, string fileName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        var written = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SourceSha256 eq {sha256}"), cancellationToken: cancellationToken))
        {
            written.Add(entity);
        }

        var reverted = 0;
        foreach (var partition in written.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var stored = partition.ToDictionary(e => e.RowKey, StringComparer.Ordinal);
            var versions = (await TableBatches.ReadAllAsync(history, partition.Key, cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
            foreach (var chunk in stored.Keys.ToList().Chunk(TableBatches.MaxBatchSize))
            {
                var changes = await WriteVersionsAsync(partition.Key, chunk, stored, (key, existing) =>
                {
                    if (existing is null || !FromFile(existing, sha256))
                    {
                        return (null, Change.Unchanged);
                    }

                    var before = EarlierVersionNotFrom(existing, versions, sha256);
                    var next = before is null
                        ? new TableEntity(existing) { ["Deleted"] = true, ["DeletedByFile"] = fileName, ["DeletedAt"] = at }
                        : new TableEntity(before) { PartitionKey = existing.PartitionKey, RowKey = key };
                    next.Remove("SupersededByFile");
                    next.Remove("SupersededAt");
                    next["RevertedFile"] = fileName;
                    next["RevertedSha256"] = sha256;
                    next["RevertedAt"] = at;
                    return (next, Change.Reverted);
                }, cancellationToken);
                reverted += changes.Count(c => c == Change.Reverted);
            }
        }

        return reverted;
    }

    /// <summary>Whether the current version holds this file's row and has not been reverted already.</summary>
    private static bool FromFile(TableEntity entity, string sha256) =>
        entity.GetString("SourceSha256") == sha256 && entity.GetString("RevertedSha256") != sha256;

    /// <summary>The latest version before <paramref name="current"/> that another file wrote, or null when there is none.</summary>
    private static TableEntity? EarlierVersionNotFrom(TableEntity current, Dictionary<string, TableEntity> versions, string sha256)
    {
        for (var version = (current.GetInt32("Version") ?? 1) - 1; version >= 1; version--)
        {
            if (versions.TryGetValue(HistoryKey(current.RowKey, version), out var earlier) && earlier.GetString("SourceSha256") != sha256)
            {
                return earlier;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the next version of each of <paramref name="rowKeys"/> (at most one batch, one partition) as
    /// <paramref name="next"/> computes it from the stored row (null: not stored): history copies first, then the
    /// current rows in one transaction conditional on the ETags they were computed from. When another host wrote any
    /// of them meanwhile, the partition is read again and the chunk recomputed. <paramref name="stored"/> ends holding
    /// what was written (with the ETags the service gave it).
    /// </summary>
    private async Task<List<Change>> WriteVersionsAsync(
        string partitionKey, IReadOnlyList<string> rowKeys, Dictionary<string, TableEntity> stored, Func<string, TableEntity?, (TableEntity? Next, Change Change)> next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var changes = new List<Change>();
            var previous = new List<TableEntity>();
            var actions = new List<TableTransactionAction>();
            foreach (var key in rowKeys)
            {
                var existing = stored.GetValueOrDefault(key);
                var (entity, change) = next(key, existing);
                changes.Add(change);
                if (entity is null)
                {
                    continue;
                }

                entity.Remove("odata.etag");
                entity.Remove("Timestamp");
                if (existing is null)
                {
                    entity["Version"] = 1;
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
                }
                else
                {
                    var version = existing.GetInt32("Version") ?? 1;
                    previous.Add(HistoryOf(existing, version));
                    entity["Version"] = version + 1;
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, existing.ETag));
                }

                EntitySize.Check(entity);
            }

            if (actions.Count == 0)
            {
                return changes;
            }

            await TableBatches.UpsertAsync(history, previous, cancellationToken);
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                if (response.Value.Count != actions.Count || response.Value.Any(r => r.Status is < 200 or >= 300))
                {
                    throw new InvalidOperationException($"The table service acknowledged {response.Value.Count(r => r.Status is >= 200 and < 300)} of {actions.Count} AEs written to partition {partitionKey}.");
                }

                for (var i = 0; i < actions.Count; i++)
                {
                    var written = (TableEntity)actions[i].Entity;
                    stored[written.RowKey] = new TableEntity(written) { ETag = response.Value[i].Headers.ETag ?? default };
                }

                return changes;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                if (attempt == MaxConflictAttempts)
                {
                    throw new InvalidOperationException($"AEs of partition {partitionKey} kept changing under this write ({attempt} attempts); the file is retried.", ex);
                }

                foreach (var (key, entity) in await ReadPartitionAsync(partitionKey, cancellationToken))
                {
                    stored[key] = entity;
                }
            }
        }
    }

    private async Task<Dictionary<string, TableEntity>> ReadPartitionAsync(string partitionKey, CancellationToken cancellationToken) =>
        (await TableBatches.ReadAllAsync(table, partitionKey, cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);

    /// <summary>Whether any event (live or deleted) is stored: stops at the first row (pages of one row; a page the
    /// service returns empty with a continuation token is followed, not taken for an empty table).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await foreach (var unused in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    /// <summary>Live events: not deleted at their source.</summary>
    public async Task<List<AdverseEvent>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entities = await TableBatches.ReadAllAsync(table, null, cancellationToken);
        return [.. entities.Where(e => e.GetBoolean("Deleted") is not true).Select(FromEntity)];
    }

    /// <summary>Live events of one subject (one partition).</summary>
    public async Task<List<AdverseEvent>> ReadSubjectAsync(string studyId, string subjectId, CancellationToken cancellationToken)
    {
        var entities = await TableBatches.ReadAllAsync(table, PartitionKeyFor(studyId, subjectId), cancellationToken);
        return [.. entities.Where(e => e.GetBoolean("Deleted") is not true).Select(FromEntity)];
    }

    /// <summary>When each of these events was first received (ICH E2A day 0), as stored; events not stored are left out.</summary>
    public async Task<Dictionary<(string SubjectId, string AeId), DateTimeOffset>> FirstReceivedAsync(IEnumerable<AdverseEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var e in events)
        {
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyFor(e.StudyId, e.SubjectId), TableKey.Encode(e.AeId), ["FirstReceivedAt"], cancellationToken);
            if (stored.HasValue && stored.Value?.GetDateTimeOffset("FirstReceivedAt") is { } first)
            {
                result[(e.SubjectId, e.AeId)] = first;
            }
        }

        return result;
    }

    /// <summary>An event's earlier versions, oldest first, and whether its current version is deleted.</summary>
    public async Task<(List<AdverseEvent> Versions, bool Deleted)> ReadHistoryAsync(string studyId, string subjectId, string aeId, CancellationToken cancellationToken)
    {
        var partition = PartitionKeyFor(studyId, subjectId);
        var prefix = TableKey.Encode(aeId) + "~";
        var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, TableKey.Encode(aeId), cancellationToken: cancellationToken);
        var entity = current.HasValue ? current.Value : null;

        // A copy of the current version itself is left in history when a write stopped between its two steps.
        var currentVersion = entity?.GetInt32("Version") ?? int.MaxValue;
        var versions = (await TableBatches.ReadAllAsync(history, partition, cancellationToken))
            .Where(e => e.RowKey.StartsWith(prefix, StringComparison.Ordinal) && (e.GetInt32("Version") ?? 0) < currentVersion)
            .OrderBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(FromEntity)
            .ToList();
        if (entity is null)
        {
            return (versions, false);
        }

        versions.Add(FromEntity(entity));
        return (versions, entity.GetBoolean("Deleted") is true);
    }

    internal static TableEntity ToEntity(AdverseEvent e) => new(PartitionKeyFor(e.StudyId, e.SubjectId), TableKey.Encode(e.AeId))
    {
        ["StudyId"] = e.StudyId,
        ["SubjectId"] = e.SubjectId,
        ["AeId"] = e.AeId,
        ["VerbatimTerm"] = e.VerbatimTerm,
        ["MedDraCode"] = e.Term?.Code.Value,
        ["CtcaeTerm"] = e.Term?.Name,
        ["Soc"] = e.Term?.Soc,
        ["CodingMethod"] = e.CodingMethod.ToString(),
        ["CodingConfidence"] = e.CodingConfidence,
        ["Grade"] = e.Grade.Value,
        ["GradeDerivedFromSeverity"] = e.GradeDerivedFromSeverity,
        ["Serious"] = e.Serious,
        ["RelatedToCamrelizumab"] = e.RelatedToCamrelizumab,
        ["RelatedToRadiotherapy"] = e.RelatedToRadiotherapy,
        ["Onset"] = e.Onset?.ToString(),
        ["Resolution"] = e.Resolution?.ToString(),
        ["Outcome"] = e.Outcome,
        ["ActionTaken"] = e.ActionTaken,
        ["ResultsInDeath"] = e.ResultsInDeath,
        ["TreatmentEmergent"] = e.TreatmentEmergent,
        ["Origin"] = e.Origin,
        ["SourceFile"] = e.Source.FileName,
        ["SourceSha256"] = e.Source.Sha256,
        ["SourceLine"] = e.Source.Line,
        ["Queries"] = EventQueries.Write(e.Queries),
    };

    private static bool SameContent(TableEntity stored, TableEntity incoming)
    {
        var keys = stored.Keys.Concat(incoming.Keys).Where(k => !Bookkeeping.Contains(k)).Distinct(StringComparer.Ordinal);
        return keys.All(k => Equals(Normalize(ValueOf(stored, k)), Normalize(ValueOf(incoming, k))));
    }

    private static object? ValueOf(TableEntity entity, string key) => entity.TryGetValue(key, out var value) ? value : null;

    // The table service returns integers as int or long and doubles as double; compare by value.
    private static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        _ => value,
    };

    private static string HistoryKey(string rowKey, int version) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{rowKey}~{version:D6}");

    /// <summary>Version <paramref name="version"/> as stored: the same copy whichever host writes it.</summary>
    private static TableEntity HistoryOf(TableEntity stored, int version)
    {
        var copy = new TableEntity(stored) { PartitionKey = stored.PartitionKey, RowKey = HistoryKey(stored.RowKey, version) };
        copy.Remove("odata.etag");
        copy.Remove("Timestamp");
        copy["Version"] = version;
        return copy;
    }

    private AdverseEvent FromEntity(TableEntity entity)
    {
        var code = entity.GetInt32("MedDraCode") is { } stored ? new MedDraCode(stored) : (MedDraCode?)null;
        return new AdverseEvent
        {
            StudyId = entity.GetString("StudyId"),
            SubjectId = entity.GetString("SubjectId"),
            AeId = entity.GetString("AeId"),
            VerbatimTerm = entity.GetString("VerbatimTerm"),
            Term = code is not { } c ? null
                : dictionary.Find(c) ?? throw new InvalidOperationException($"Stored AE {entity.PartitionKey}/{entity.RowKey} has MedDRA code {c}, which is not in {CtcaeDictionary.Version}."),
            CodingMethod = Enum.TryParse<Core.Coding.CodingMethod>(entity.GetString("CodingMethod"), out var method) ? method
                : code is null ? Core.Coding.CodingMethod.NeedsCoding : Core.Coding.CodingMethod.ExactTerm,
            Queries = EventQueries.Read(entity.GetString("Queries")),
            FirstReceivedAt = entity.GetDateTimeOffset("FirstReceivedAt"),
            CodingConfidence = entity.GetDouble("CodingConfidence") ?? 1,
            Grade = new CtcaeGrade(entity.GetInt32("Grade") ?? throw Missing(entity, "Grade")),
            GradeDerivedFromSeverity = entity.GetBoolean("GradeDerivedFromSeverity") ?? false,
            Serious = entity.GetBoolean("Serious"),
            RelatedToCamrelizumab = entity.GetBoolean("RelatedToCamrelizumab"),
            RelatedToRadiotherapy = entity.GetBoolean("RelatedToRadiotherapy"),
            Onset = ParseDate(entity.GetString("Onset")),
            Resolution = ParseDate(entity.GetString("Resolution")),
            Outcome = entity.GetString("Outcome"),
            ActionTaken = entity.GetString("ActionTaken"),
            ResultsInDeath = entity.GetBoolean("ResultsInDeath"),
            TreatmentEmergent = entity.GetBoolean("TreatmentEmergent"),
            Origin = entity.GetString("Origin") ?? "",
            Source = new SourceReference(entity.GetString("SourceFile"), entity.GetString("SourceSha256"), entity.GetInt64("SourceLine") ?? 0),
        };
    }

    private static PartialDate? ParseDate(string? text) => PartialDate.TryParse(text, out var date) ? date : null;

    private static InvalidOperationException Missing(TableEntity entity, string property) =>
        new($"Stored AE {entity.PartitionKey}/{entity.RowKey} has no {property}.");
}
