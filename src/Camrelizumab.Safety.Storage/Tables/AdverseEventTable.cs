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
/// Writes are idempotent under retries: a history row is keyed by the version it preserves and written before the
/// current row changes, so a crash between the two writes is repaired by the next attempt with the same keys.
/// </remarks>
public sealed class AdverseEventTable(TableClient table, TableClient history, CtcaeDictionary dictionary)
{
    /// <summary>Properties that are bookkeeping, not content: a change in them alone is not a new version.</summary>
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag", "SourceFile", "SourceSha256", "SourceLine", "Version", "Deleted", "DeletedByFile", "DeletedAt", "ChangedByFile", "ChangedAt", "FirstReceivedAt",
    };

    public TableClient Client => table;

    public TableClient History => history;

    public static string PartitionKeyFor(string studyId, string subjectId) => TableKey.Encode($"{studyId}|{subjectId}");

    /// <summary>Writes the events as new versions where their content changed; returns what happened to each.</summary>
    /// <param name="receivedAt">When the file holding the events arrived. An event keeps the arrival of the first file
    /// that held it (<see cref="AdverseEvent.FirstReceivedAt"/>, day 0 of the ICH E2A clock) across later versions.</param>
    public async Task<VersionCounts> UpsertAsync(IEnumerable<AdverseEvent> events, DateTimeOffset at, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        int inserted = 0, updated = 0, unchanged = 0, restored = 0;
        foreach (var partition in events.Select(ToEntity).GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var existing = (await TableBatches.ReadAllAsync(table, partition.Key, cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
            var current = new List<TableEntity>();
            var previous = new List<TableEntity>();
            foreach (var entity in partition)
            {
                if (!existing.TryGetValue(entity.RowKey, out var stored))
                {
                    entity["Version"] = 1;
                    entity["FirstReceivedAt"] = receivedAt;
                    current.Add(entity);
                    inserted++;
                    continue;
                }

                var wasDeleted = stored.GetBoolean("Deleted") is true;
                if (!wasDeleted && SameContent(stored, entity))
                {
                    unchanged++;
                    continue;
                }

                var version = stored.GetInt32("Version") ?? 1;
                previous.Add(HistoryOf(stored, version, entity.GetString("SourceFile"), at));
                entity["FirstReceivedAt"] = stored.GetDateTimeOffset("FirstReceivedAt") is { } first && first < receivedAt ? first : receivedAt;
                entity["Version"] = version + 1;
                entity["ChangedByFile"] = entity.GetString("SourceFile");
                entity["ChangedAt"] = at;
                current.Add(entity);
                if (wasDeleted)
                {
                    restored++;
                }
                else
                {
                    updated++;
                }
            }

            await WriteVersionsAsync(previous, current, cancellationToken);
        }

        return new VersionCounts(inserted, updated, unchanged, restored, 0);
    }

    /// <summary>
    /// After a full export of <paramref name="origin"/>: every live event of that origin the export does not hold is
    /// marked deleted (its last version kept in history), unless that would delete more than half of the origin's live
    /// events, which looks like a truncated export and is held back for the data manager instead.
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
        else if (missing.Count > 10 && missing.Count * 2 > live.Count)
        {
            return (keys, true);
        }

        foreach (var partition in missing.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var previous = new List<TableEntity>();
            var current = new List<TableEntity>();
            foreach (var stored in partition)
            {
                var version = stored.GetInt32("Version") ?? 1;
                previous.Add(HistoryOf(stored, version, fileName, at));
                var deleted = new TableEntity(stored);
                deleted.Remove("odata.etag");
                deleted["Version"] = version + 1;
                deleted["Deleted"] = true;
                deleted["DeletedByFile"] = fileName;
                deleted["DeletedAt"] = at;
                current.Add(deleted);
            }

            await WriteVersionsAsync(previous, current, cancellationToken);
        }

        return (keys, false);
    }

    /// <summary>History first, then the current rows: a crash in between is repaired by the retry with the same keys.</summary>
    private async Task WriteVersionsAsync(List<TableEntity> previous, List<TableEntity> current, CancellationToken cancellationToken)
    {
        await TableBatches.UpsertAsync(history, previous, cancellationToken);
        await TableBatches.UpsertAsync(table, current, cancellationToken);
    }

    /// <summary>Live events: not deleted at their source.</summary>
    public async Task<List<AdverseEvent>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entities = await TableBatches.ReadAllAsync(table, null, cancellationToken);
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
        var versions = (await TableBatches.ReadAllAsync(history, partition, cancellationToken))
            .Where(e => e.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(FromEntity)
            .ToList();
        var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, TableKey.Encode(aeId), cancellationToken: cancellationToken);
        if (current.HasValue && current.Value is { } entity)
        {
            versions.Add(FromEntity(entity));
            return (versions, entity.GetBoolean("Deleted") is true);
        }

        return (versions, false);
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

    private static TableEntity HistoryOf(TableEntity stored, int version, string? supersededBy, DateTimeOffset at)
    {
        var copy = new TableEntity(stored) { PartitionKey = stored.PartitionKey, RowKey = $"{stored.RowKey}~{version:D6}" };
        copy.Remove("odata.etag");
        copy.Remove("Timestamp");
        copy["Version"] = version;
        copy["SupersededByFile"] = supersededBy;
        copy["SupersededAt"] = at;
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
