using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>One subject's kept facts as stored: the fold version they were written for, the facts as JSON, the
/// verbatim keys of the subject's events that coder decisions may code, and the <see cref="PartitionDigest.Rows"/> hash
/// of the AE rows they were folded from (null: not known).</summary>
public sealed record StoredSubjectFacts(string StudyId, string SubjectId, string FoldVersion, string FactsJson, IReadOnlyList<string> DecisionKeys, string? FoldedFrom)
{
    /// <summary>The row's version when it was read, for a write conditional on it; <c>default</c> for a row not read.</summary>
    internal ETag ETag { get; init; }

    public (string StudyId, string SubjectId) Key => (StudyId, SubjectId);

    /// <summary>Both absent, or the same fold version, facts, decision keys and rows folded: writing one over the other
    /// changes nothing.</summary>
    public static bool Same(StoredSubjectFacts? stored, StoredSubjectFacts? next) =>
        SameFacts(stored, next) && stored?.FoldedFrom == next?.FoldedFrom;

    /// <summary>Both absent, or the same fold version, facts and decision keys (whatever rows they were folded from).</summary>
    public static bool SameFacts(StoredSubjectFacts? stored, StoredSubjectFacts? next) =>
        (stored is null && next is null)
        || (stored is not null && next is not null
            && stored.FoldVersion == next.FoldVersion
            && stored.FactsJson == next.FactsJson
            && stored.DecisionKeys.SequenceEqual(next.DecisionKeys, StringComparer.Ordinal));
}

/// <summary>
/// The <c>SubjectFacts</c> table: one row per subject with counted events. PartitionKey = <c>s|</c> + study, RowKey =
/// subject (both <see cref="TableKey"/>-encoded); one further row (<see cref="StatePartition"/>) names the fold version
/// the whole table was last made complete for. Facts and decision keys are JSON, split into numbered columns when long.
/// </summary>
public sealed class SubjectFactsTable(TableClient table)
{
    /// <summary>The partition (and row key) of the row naming the fold version the table is complete for.</summary>
    public const string StatePartition = "fold";

    /// <summary>A stored string property holds at most 32 K UTF-16 characters; longer JSON goes into numbered parts.</summary>
    private const int MaxChars = 30_000;

    /// <summary>Azure refuses a transaction over 4 MiB; facts rows of long histories are large, so a batch stops at this estimate.</summary>
    private const long MaxBatchBytes = 2 * 1024 * 1024;

    /// <summary>The fold version the whole table was last made complete for, or null when never.</summary>
    public async Task<string?> CompleteForAsync(CancellationToken cancellationToken)
    {
        var state = await table.GetEntityIfExistsAsync<TableEntity>(StatePartition, StatePartition, cancellationToken: cancellationToken);
        return state.HasValue ? state.Value!.GetString("FoldVersion") : null;
    }

    /// <summary>Records that the whole table is complete for <paramref name="foldVersion"/>; with
    /// <paramref name="onlyIfNeverMarked"/>, only when no version was ever recorded (false when one was).</summary>
    public async Task<bool> MarkCompleteAsync(string foldVersion, bool onlyIfNeverMarked, CancellationToken cancellationToken)
    {
        var state = new TableEntity(StatePartition, StatePartition) { ["FoldVersion"] = foldVersion };
        if (!onlyIfNeverMarked)
        {
            await table.UpsertEntityAsync(state, TableUpdateMode.Replace, cancellationToken);
            return true;
        }

        try
        {
            await table.AddEntityAsync(state, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Every subject's row.</summary>
    public async Task<List<StoredSubjectFacts>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var rows = new List<StoredSubjectFacts>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {StatePartition}"), cancellationToken: cancellationToken))
        {
            rows.Add(FromEntity(row));
        }

        return rows;
    }

    /// <summary>One subject's row, or null.</summary>
    public async Task<StoredSubjectFacts?> ReadAsync(string studyId, string subjectId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyFor(studyId), TableKey.Encode(subjectId), cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Writes <paramref name="next"/> over <paramref name="stored"/> (null: absent) conditional on the version
    /// read; false when another host changed the row meanwhile. Nothing is written when they already agree.</summary>
    public async Task<bool> TryReplaceAsync(StoredSubjectFacts? stored, StoredSubjectFacts? next, CancellationToken cancellationToken)
    {
        if (StoredSubjectFacts.Same(stored, next))
        {
            return true;
        }

        try
        {
            switch (Action(stored, next))
            {
                case { ActionType: TableTransactionActionType.Delete } delete:
                    await table.DeleteEntityAsync(delete.Entity.PartitionKey, delete.Entity.RowKey, delete.ETag, cancellationToken);
                    break;
                case { ActionType: TableTransactionActionType.Add } add:
                    await table.AddEntityAsync(add.Entity, cancellationToken);
                    break;
                case var update:
                    await table.UpdateEntityAsync(update.Entity, update.ETag, TableUpdateMode.Replace, cancellationToken);
                    break;
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes each pair's <c>Next</c> over its <c>Stored</c> as <see cref="TryReplaceAsync"/> does, in transactions of at
    /// most 100 rows (and about 2 MiB) of one study, each row conditional on the version read.
    /// </summary>
    /// <returns>The pairs of the transactions that failed because another host changed one of their rows (none of a
    /// failed transaction is written): the caller writes them one by one.</returns>
    public async Task<List<(StoredSubjectFacts? Stored, StoredSubjectFacts? Next)>> TryReplaceInBatchesAsync(
        IEnumerable<(StoredSubjectFacts? Stored, StoredSubjectFacts? Next)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var refused = new List<(StoredSubjectFacts?, StoredSubjectFacts?)>();
        var changes = rows.Where(r => !StoredSubjectFacts.Same(r.Stored, r.Next)).Select(r => (Row: r, Action: Action(r.Stored, r.Next)));
        foreach (var partition in changes.GroupBy(c => c.Action.Entity.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var batch in Batches(partition))
            {
                try
                {
                    await table.SubmitTransactionAsync(batch.Select(c => c.Action), cancellationToken);
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
                {
                    refused.AddRange(batch.Select(c => c.Row));
                }
            }
        }

        return refused;
    }

    private static IEnumerable<List<((StoredSubjectFacts?, StoredSubjectFacts?) Row, TableTransactionAction Action)>> Batches(
        IEnumerable<((StoredSubjectFacts?, StoredSubjectFacts?) Row, TableTransactionAction Action)> changes)
    {
        var batch = new List<((StoredSubjectFacts?, StoredSubjectFacts?), TableTransactionAction)>();
        long bytes = 0;
        foreach (var change in changes)
        {
            var size = EntitySize.Of((TableEntity)change.Action.Entity);
            if (batch.Count == TableBatches.MaxBatchSize || (batch.Count > 0 && bytes + size > MaxBatchBytes))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }

            batch.Add(change);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>The write that turns <paramref name="stored"/> into <paramref name="next"/>, conditional on the version read.</summary>
    private static TableTransactionAction Action(StoredSubjectFacts? stored, StoredSubjectFacts? next) => (stored, next) switch
    {
        (not null, null) => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(PartitionKeyFor(stored.StudyId), TableKey.Encode(stored.SubjectId)), stored.ETag),
        (null, not null) => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(next)),
        (not null, not null) => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(next), stored.ETag),
        _ => throw new ArgumentException("Nothing to write: neither a stored nor a next row."),
    };

    private static string PartitionKeyFor(string studyId) => "s|" + TableKey.Encode(studyId);

    private static TableEntity ToEntity(StoredSubjectFacts facts)
    {
        var entity = new TableEntity(PartitionKeyFor(facts.StudyId), TableKey.Encode(facts.SubjectId))
        {
            ["StudyId"] = facts.StudyId,
            ["SubjectId"] = facts.SubjectId,
            ["FoldVersion"] = facts.FoldVersion,
            ["FoldedFrom"] = facts.FoldedFrom,
        };
        WriteChunked(entity, "Facts", facts.FactsJson);
        WriteChunked(entity, "DecisionKeys", JsonSerializer.Serialize(facts.DecisionKeys));
        EntitySize.Check(entity);
        return entity;
    }

    private static StoredSubjectFacts FromEntity(TableEntity row) => new(
        row.GetString("StudyId"),
        row.GetString("SubjectId"),
        row.GetString("FoldVersion") ?? "",
        ReadChunked(row, "Facts"),
        JsonSerializer.Deserialize<List<string>>(ReadChunked(row, "DecisionKeys")) ?? throw new InvalidOperationException($"Subject facts {row.PartitionKey}/{row.RowKey} have no DecisionKeys."),
        row.GetString("FoldedFrom"))
    {
        ETag = row.ETag,
    };

    private static void WriteChunked(TableEntity entity, string name, string text)
    {
        for (var part = 0; part * MaxChars < text.Length || part == 0; part++)
        {
            entity[part == 0 ? name : $"{name}{part}"] = text.Substring(part * MaxChars, Math.Min(MaxChars, text.Length - (part * MaxChars)));
        }
    }

    private static string ReadChunked(TableEntity entity, string name)
    {
        var text = entity.GetString(name) ?? "";
        for (var part = 1; entity.GetString($"{name}{part}") is { } more; part++)
        {
            text += more;
        }

        return text;
    }
}
