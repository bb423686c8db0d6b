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
    /// read once, then each partition's new versions are written in batches of at most 99 (and its
    /// <see cref="PartitionDigest"/>), <see cref="Parallelism"/> partitions at a time. Nothing written is read back; a
    /// batch the service did not acknowledge entity by entity fails.
    /// </summary>
    /// <param name="fullExport">For a full export, its source and whether it holds a row of a (subject, AE id). The
    /// partitions' digests are then read first, by one query: a partition whose digest equals the file's rows for it is
    /// unchanged and is not read; a partition without a digest is empty and is not read either; only the partitions
    /// that differ are read. The partitions the export does not touch whose digests count live AEs of its source are
    /// read too, for the AEs it lacks (<see cref="FileWrite.Missing"/>). A digest that changes after it was read only
    /// makes a write refused by its condition, then recomputed.</param>
    /// <param name="sliceWritten">Called after each slice is written.</param>
    /// <param name="fold">Told (concurrently) of each subject of the file whose partition this write read: its live
    /// events as the write leaves them, the rows it read and the versions it wrote, so the subject's facts can be folded
    /// without reading the partition again. A partition its digest shows unchanged is read (and folded) only when the
    /// kept facts were folded from other rows (a host stopped between writing the events and their facts). A row another
    /// host writes to the partition afterwards is not among them.</param>
    public async Task<FileWrite> WriteAsync(
        EventSpill events,
        (string Origin, Func<string, string, bool> Holds)? fullExport,
        DateTimeOffset at,
        DateTimeOffset receivedAt,
        Func<ValueTask> sliceWritten,
        IPartitionFold? fold,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(sliceWritten);
        var counts = new int[Enum.GetValues<Change>().Length];
        var missing = new System.Collections.Concurrent.ConcurrentQueue<(string PartitionKey, string RowKey, string SubjectId, string AeId)>();
        var live = 0L;
        var digests = fullExport is null ? null : await ReadDigestsAsync(cancellationToken);
        var touched = new HashSet<string>(StringComparer.Ordinal);

        // For a full export: the source's live AEs among a partition's stored rows that the export lacks, and how many
        // of the source's AEs stay live besides the file's own rows.
        void Inspect(StoredPartition partition, HashSet<string> incoming)
        {
            foreach (var row in partition.Rows.Values)
            {
                if (row.GetString("Origin") != fullExport!.Value.Origin || row.GetBoolean("Deleted") is true)
                {
                    continue;
                }

                if (!fullExport.Value.Holds(row.GetString("SubjectId"), row.GetString("AeId")))
                {
                    missing.Enqueue((row.PartitionKey, row.RowKey, row.GetString("SubjectId"), row.GetString("AeId")));
                    Interlocked.Increment(ref live);
                }
                else if (!incoming.Contains(row.RowKey))
                {
                    Interlocked.Increment(ref live);
                }
            }
        }

        foreach (var slice in events.Slices())
        {
            var byPartition = slice.Entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).ToList();
            await Parallel.ForEachAsync(byPartition, Options(cancellationToken), async (partition, token) =>
            {
                var incoming = partition.Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
                StoredPartition rows;
                if (digests is null)
                {
                    rows = await ReadPartitionAsync(partition.Key, token);
                }
                else
                {
                    Interlocked.Add(ref live, incoming.Count);
                    if (!digests.TryGetValue(partition.Key, out var digest))
                    {
                        // Every partition holding AEs has a digest (ReadDigestsAsync): this one is empty.
                        rows = new StoredPartition();
                    }
                    else if (incoming.Count == partition.Count() && PartitionDigest.Same(PartitionDigest.Read(digest), PartitionDigest.Origins(partition))
                        && (fold is null || fold.IsFoldedFrom(SubjectOf(partition.First()), PartitionDigest.RowsOf(digest) ?? "", anyLive: true)))
                    {
                        // Unchanged: the partition holds live exactly these rows, with this content, and its facts are
                        // folded from it.
                        Interlocked.Add(ref counts[(int)Change.Unchanged], incoming.Count);
                        return;
                    }
                    else
                    {
                        rows = await ReadPartitionAsync(partition.Key, token);
                        Inspect(rows, incoming);
                    }
                }

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

                    var next = round.ToDictionary(e => e.Entity.RowKey, e => e.Entity, StringComparer.Ordinal);
                    foreach (var chunk in next.Keys.Chunk(MaxEventsPerBatch))
                    {
                        foreach (var change in await WriteVersionsAsync(partition.Key, chunk, rows, (key, existing) => NextVersion(next[key], existing, at, receivedAt), token))
                        {
                            Interlocked.Increment(ref counts[(int)change]);
                        }
                    }
                }

                if (fold is not null)
                {
                    FoldPartition(fold, rows);
                }
            });
            touched.UnionWith(byPartition.Select(p => p.Key));
            await sliceWritten();
        }

        if (digests is not null)
        {
            // The partitions the export does not touch: those holding live AEs of its source are read for the AEs it
            // lacks (their facts are refolded after the deletions); the others are read and folded only when their facts
            // were not folded from them (a host stopped between deleting AEs and refolding their subject).
            var folded = 0;
            await Parallel.ForEachAsync(digests.Where(d => !touched.Contains(d.Key)), Options(cancellationToken), async (entry, token) =>
            {
                var (partitionKey, digest) = entry;
                var origins = PartitionDigest.Read(digest);
                if (PartitionDigest.LiveOf(origins, fullExport!.Value.Origin) > 0)
                {
                    Inspect(await ReadPartitionAsync(partitionKey, token), []);
                }
                else if (fold is not null && (PartitionDigest.SubjectOf(digest) is not ({ } study, { } subject)
                    || !fold.IsFoldedFrom((study, subject), PartitionDigest.RowsOf(digest) ?? "", anyLive: origins.Count > 0)))
                {
                    if (FoldPartition(fold, await ReadPartitionAsync(partitionKey, token)))
                    {
                        Interlocked.Increment(ref folded);
                    }
                }
            });
            if (folded > 0)
            {
                await sliceWritten();
            }
        }

        var versions = new VersionCounts(counts[(int)Change.Inserted], counts[(int)Change.Updated], counts[(int)Change.Unchanged], counts[(int)Change.Restored], 0);
        return new FileWrite(versions, [.. missing.OrderBy(m => m.PartitionKey, StringComparer.Ordinal).ThenBy(m => m.RowKey, StringComparer.Ordinal)], live);
    }

    /// <summary>Partitions written (and, for a full export's slices, read) at once.</summary>
    public const int Parallelism = 8;

    /// <summary>AEs per transaction: one batch holds at most 100 entities, and one of them may be the partition's digest.</summary>
    private const int MaxEventsPerBatch = TableBatches.MaxBatchSize - 1;

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private static (string StudyId, string SubjectId) SubjectOf(TableEntity entity) => (entity.GetString("StudyId"), entity.GetString("SubjectId"));

    /// <summary>Hands a partition as read and written to the fold; false for a partition without rows.</summary>
    private bool FoldPartition(IPartitionFold fold, StoredPartition partition)
    {
        if (partition.Rows.Count == 0)
        {
            return false;
        }

        fold.Fold(SubjectOf(partition.Rows.Values.First()), Live(partition.Rows.Values), partition.RowsHash());
        return true;
    }

    /// <summary>The events of these AE rows that are not deleted at their source.</summary>
    private List<AdverseEvent> Live(IEnumerable<TableEntity> rows) =>
        [.. rows.Where(e => !PartitionDigest.IsDigest(e) && e.GetBoolean("Deleted") is not true).Select(FromEntity)];

    /// <summary>One partition's AEs as read, and its digest read before them (null: none).</summary>
    private sealed class StoredPartition
    {
        public Dictionary<string, TableEntity> Rows { get; } = new(StringComparer.Ordinal);

        public TableEntity? Digest { get; set; }

        /// <summary>Whether <see cref="Digest"/> was written with <see cref="Rows"/> (so it describes them exactly), not
        /// read before them.</summary>
        public bool DigestWrittenWithRows { get; set; }

        /// <summary>The <see cref="PartitionDigest.Rows"/> hash of <see cref="Rows"/>.</summary>
        public string RowsHash() => DigestWrittenWithRows && Digest is not null ? PartitionDigest.RowsOf(Digest)! : PartitionDigest.Rows(Rows.Values);
    }

    /// <summary>
    /// Every partition's digest by partition key. When the table does not yet say that every partition has a digest of
    /// the current <see cref="PartitionDigest.Format"/>, makes it so first: on an empty table by saying so; otherwise (a
    /// store written by a build before digests, or whose completeness row an operator removed to have them checked) by
    /// one scan of the table that repairs every partition whose digest is missing or does not describe its rows.
    /// </summary>
    private async Task<Dictionary<string, TableEntity>> ReadDigestsAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var digests = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            var complete = false;
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey gt {PartitionDigest.KeyPrefix} and RowKey lt {PartitionDigest.KeyPrefixEnd}"), cancellationToken: cancellationToken))
            {
                if (row.PartitionKey == PartitionDigest.CompletePartition)
                {
                    complete = row.GetInt32("Format") == PartitionDigest.Format;
                }
                else
                {
                    digests[row.PartitionKey] = row;
                }
            }

            if (complete)
            {
                return digests;
            }

            if (attempt > 1)
            {
                throw new InvalidOperationException("The AE table's digests could not be completed.");
            }

            if (await AnyAsync(cancellationToken))
            {
                await RepairDigestsAsync(cancellationToken);
            }

            await table.UpsertEntityAsync(new TableEntity(PartitionDigest.CompletePartition, PartitionDigest.RowKeyFor(PartitionDigest.CompletePartition)) { ["Format"] = PartitionDigest.Format }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>
    /// One scan of the table; every partition whose digest is missing or does not describe its rows as scanned is read
    /// again (digest first) and its digest inserted or replaced conditional on the one read, so a write meanwhile (which
    /// replaces the digest itself, from the whole partition) wins.
    /// </summary>
    private async Task RepairDigestsAsync(CancellationToken cancellationToken)
    {
        var suspect = new List<string>();
        var format1 = new List<TableEntity>();
        await foreach (var (partitionKey, rows, digest, old) in ScanPartitionsAsync(cancellationToken))
        {
            if (rows.Count > 0 && (digest is null || !PartitionDigest.Same(digest, PartitionDigest.ToEntity(partitionKey, rows))))
            {
                suspect.Add(partitionKey);
            }

            if (old is not null)
            {
                format1.Add(old);
            }
        }

        await Parallel.ForEachAsync(suspect, Options(cancellationToken), async (partitionKey, token) =>
        {
            var partition = await ReadPartitionAsync(partitionKey, token);
            if (partition.Rows.Count == 0)
            {
                return;
            }

            var repaired = PartitionDigest.ToEntity(partitionKey, partition.Rows.Values);
            if (partition.Digest is not null && PartitionDigest.Same(partition.Digest, repaired))
            {
                return;
            }

            try
            {
                await (partition.Digest is null
                    ? table.AddEntityAsync(repaired, token)
                    : table.UpdateEntityAsync(repaired, partition.Digest.ETag, TableUpdateMode.Replace, token));
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // A write to the partition since it was read replaced the digest, from the whole partition as it then was.
            }
        });

        // Format 1's digests, now replaced: no reader takes them for AEs, but they would be carried on for ever.
        await Parallel.ForEachAsync(format1, Options(cancellationToken), async (old, token) =>
        {
            try
            {
                await table.DeleteEntityAsync(old, old.ETag, token);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Removed by another host's repair meanwhile.
            }
        });
    }

    /// <summary>
    /// One scan of the whole table, a partition at a time (rows come in key order): its AE rows and its digest as the
    /// scan saw them, which a write during the scan may have left out of step, and its format-1 digest if an older build
    /// left one (the completeness partition's is one of these; its current completeness row is left out).
    /// </summary>
    private async IAsyncEnumerable<(string PartitionKey, List<TableEntity> Rows, TableEntity? Digest, TableEntity? Format1)> ScanPartitionsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? current = null;
        var rows = new List<TableEntity>();
        TableEntity? digest = null;
        TableEntity? format1 = null;
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (row.PartitionKey != current)
            {
                if (current is not null)
                {
                    yield return (current, rows, digest, format1);
                }

                (current, rows, digest, format1) = (row.PartitionKey, [], null, null);
            }

            if (PartitionDigest.IsFormat1(row))
            {
                format1 = row;
            }
            else if (row.PartitionKey == PartitionDigest.CompletePartition)
            {
                continue;
            }
            else if (PartitionDigest.IsDigest(row))
            {
                digest = row;
            }
            else
            {
                rows.Add(row);
            }
        }

        if (current is not null)
        {
            yield return (current, rows, digest, format1);
        }
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
    /// <param name="present">Whether the export holds a row of this (subject, AE id).</param>
    /// <param name="confirmedAsOf">When a data manager confirms held deletions: apply them whatever their share, but
    /// refuse if any of them was written after this time (by a later export, which this one must not undo).</param>
    public async Task<(List<(string SubjectId, string AeId)> Missing, bool Held)> MarkMissingDeletedAsync(
        string origin, Func<string, string, bool> present, string fileName, DateTimeOffset at, DateTimeOffset? confirmedAsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);
        var live = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Origin eq {origin}"), cancellationToken: cancellationToken))
        {
            if (entity.GetBoolean("Deleted") is not true)
            {
                live.Add(entity);
            }
        }

        var missing = live.Where(e => !present(e.GetString("SubjectId"), e.GetString("AeId"))).ToList();
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
            await DeleteAsync(partition.Key, await ReadPartitionAsync(partition.Key, cancellationToken), [.. partition.Select(e => e.RowKey)], fileName, at, cancellationToken);
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
            await DeleteAsync(partition.Key, await ReadPartitionAsync(partition.Key, token), [.. partition.Select(m => m.RowKey)], fileName, at, token);
        });
        return (keys, false);
    }

    /// <summary>Marks these rows of one partition (read whole) deleted (a new version each), unless already deleted.</summary>
    private async Task DeleteAsync(string partitionKey, StoredPartition stored, IReadOnlyList<string> rowKeys, string fileName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(MaxEventsPerBatch))
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
            var stored = await ReadPartitionAsync(partition.Key, cancellationToken);
            var versions = (await TableBatches.ReadAllAsync(history, partition.Key, cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
            foreach (var chunk in partition.Select(e => e.RowKey).Chunk(MaxEventsPerBatch))
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
    /// Writes the next version of each of <paramref name="rowKeys"/> (at most <see cref="MaxEventsPerBatch"/>, one
    /// partition) as <paramref name="next"/> computes it from the stored row (null: not stored): history copies first,
    /// then the current rows in one transaction conditional on the ETags they were computed from, with the partition's
    /// new digest when its content changes (conditional on the digest's ETag, or inserted). When another host wrote
    /// meanwhile, the partition is read again and the chunk recomputed. <paramref name="stored"/> holds the whole
    /// partition and ends holding what was written (with the ETags the service gave it).
    /// </summary>
    private async Task<List<Change>> WriteVersionsAsync(
        string partitionKey, IReadOnlyList<string> rowKeys, StoredPartition stored, Func<string, TableEntity?, (TableEntity? Next, Change Change)> next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var changes = new List<Change>();
            var previous = new List<TableEntity>();
            var actions = new List<TableTransactionAction>();
            foreach (var key in rowKeys)
            {
                var existing = stored.Rows.GetValueOrDefault(key);
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

            var events = actions.Count;
            var after = new Dictionary<string, TableEntity>(stored.Rows, StringComparer.Ordinal);
            foreach (var action in actions)
            {
                after[action.Entity.RowKey] = (TableEntity)action.Entity;
            }

            var digest = PartitionDigest.ToEntity(partitionKey, after.Values);
            if (stored.Digest is null || !PartitionDigest.Same(stored.Digest, digest))
            {
                var entity = digest;
                actions.Add(stored.Digest is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, stored.Digest.ETag));
            }

            await TableBatches.UpsertAsync(history, previous, cancellationToken);
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                if (response.Value.Count != actions.Count || response.Value.Any(r => r.Status is < 200 or >= 300))
                {
                    throw new InvalidOperationException($"The table service acknowledged {response.Value.Count(r => r.Status is >= 200 and < 300)} of {actions.Count} rows written to partition {partitionKey}.");
                }

                for (var i = 0; i < actions.Count; i++)
                {
                    // Each action's entity is this attempt's own (NextVersion and the digest build new ones), so it is kept as written.
                    var written = (TableEntity)actions[i].Entity;
                    written.ETag = response.Value[i].Headers.ETag ?? default;
                    if (i < events)
                    {
                        stored.Rows[written.RowKey] = written;
                    }
                    else
                    {
                        stored.Digest = written;
                    }
                }

                stored.DigestWrittenWithRows = actions.Count > events;
                return changes;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // 404: a row (or the digest) this write was conditional on is gone; read the partition again as for a change.
                if (attempt == MaxConflictAttempts)
                {
                    throw new InvalidOperationException($"AEs of partition {partitionKey} kept changing under this write ({attempt} attempts); the file is retried.", ex);
                }

                var fresh = await ReadPartitionAsync(partitionKey, cancellationToken);
                stored.Rows.Clear();
                foreach (var (key, entity) in fresh.Rows)
                {
                    stored.Rows[key] = entity;
                }

                stored.Digest = fresh.Digest;
                stored.DigestWrittenWithRows = false;
            }
        }
    }

    /// <summary>
    /// One partition whole: its digest first (by itself), then its AEs. A write between the two reads changes the
    /// digest, so a version computed from these rows and written conditional on that digest is refused and recomputed.
    /// </summary>
    /// <remarks>The digest is read by a query, not a point read: its key's <c>%</c> then travels in the query string, not
    /// in the URL path, where the table service once decoded it twice.</remarks>
    private async Task<StoredPartition> ReadPartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        TableEntity? digest = null;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey eq {PartitionDigest.RowKeyFor(partitionKey)}"), cancellationToken: cancellationToken))
        {
            digest = row;
        }

        var partition = new StoredPartition { Digest = digest };
        foreach (var row in await TableBatches.ReadAllAsync(table, partitionKey, cancellationToken))
        {
            if (!PartitionDigest.IsDigest(row))
            {
                partition.Rows[row.RowKey] = row;
            }
        }

        return partition;
    }

    /// <summary>
    /// Every partition whose digest does not describe its rows (or that has AEs and no digest while the table says every
    /// partition has one), with what is wrong; empty when the digests hold. For tests and checks: it reads the whole table.
    /// </summary>
    internal async Task<List<string>> DigestProblemsAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var complete = false;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionDigest.CompletePartition} and RowKey eq {PartitionDigest.RowKeyFor(PartitionDigest.CompletePartition)}"), cancellationToken: cancellationToken))
        {
            complete = row.GetInt32("Format") == PartitionDigest.Format;
        }

        await foreach (var (partitionKey, rows, digest, format1) in ScanPartitionsAsync(cancellationToken))
        {
            if (format1 is not null && complete)
            {
                problems.Add($"{partitionKey}: a format-1 digest left after the repair");
            }

            if (partitionKey == PartitionDigest.CompletePartition)
            {
                continue;
            }

            var expected = PartitionDigest.ToEntity(partitionKey, rows);
            if (digest is null)
            {
                if (complete)
                {
                    problems.Add($"{partitionKey}: no digest");
                }
            }
            else if (!PartitionDigest.Same(digest, expected))
            {
                problems.Add($"{partitionKey}: digest {string.Join(",", PartitionDigest.Read(digest))} {PartitionDigest.RowsOf(digest)} but rows {string.Join(",", PartitionDigest.Read(expected))} {PartitionDigest.RowsOf(expected)}");
            }
        }

        return problems;
    }

    /// <summary>Whether any event (live or deleted) is stored: stops at the first row (pages of one row; a page the
    /// service returns empty with a continuation token is followed, not taken for an empty table).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await foreach (var unused in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey lt {PartitionDigest.KeyPrefix} or RowKey ge {PartitionDigest.KeyPrefixEnd}"), maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    /// <summary>Live events: not deleted at their source.</summary>
    public async Task<List<AdverseEvent>> ReadAllAsync(CancellationToken cancellationToken) =>
        Live(await TableBatches.ReadAllAsync(table, null, cancellationToken));

    /// <summary>Live events of one subject, and the <see cref="PartitionDigest.Rows"/> hash of the rows they were read from.</summary>
    public async Task<(List<AdverseEvent> Live, string Rows)> ReadSubjectForFoldAsync(string studyId, string subjectId, CancellationToken cancellationToken)
    {
        var entities = (await TableBatches.ReadAllAsync(table, PartitionKeyFor(studyId, subjectId), cancellationToken)).Where(e => !PartitionDigest.IsDigest(e)).ToList();
        return (Live(entities), PartitionDigest.Rows(entities));
    }

    /// <summary>Live events, and for each subject with any row the <see cref="PartitionDigest.Rows"/> hash of its rows as read.</summary>
    public async Task<(List<AdverseEvent> Live, Dictionary<(string StudyId, string SubjectId), string> Rows)> ReadAllForFoldAsync(CancellationToken cancellationToken)
    {
        var live = new List<AdverseEvent>();
        var hashes = new Dictionary<(string, string), string>();
        foreach (var partition in (await TableBatches.ReadAllAsync(table, null, cancellationToken)).Where(e => !PartitionDigest.IsDigest(e)).GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var rows = partition.ToList();
            hashes[SubjectOf(rows[0])] = PartitionDigest.Rows(rows);
            live.AddRange(Live(rows));
        }

        return (live, hashes);
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
        var keys = stored.Keys.Concat(incoming.Keys).Where(k => !PartitionDigest.Bookkeeping.Contains(k)).Distinct(StringComparer.Ordinal);
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
