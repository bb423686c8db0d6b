using System.Collections.Concurrent;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Tables;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// Keeps the <c>SubjectFacts</c> table (<see cref="SubjectFactsTable"/>): one row per subject with counted events,
/// holding <see cref="SubjectFacts.Fold"/> of its events, so the evaluation reads O(subjects) rows instead of every
/// event; one further row names the rules the whole table was last rebuilt for.
/// </summary>
/// <remarks>
/// <para>
/// Whatever changes a subject's counted events refolds that subject: an ingest's write folds each subject from the
/// partition it has just read and written (<see cref="FileFold"/>); deletions by a full export, a quarantined file's
/// revert, SUPPAE qualifiers, a confirmed deletion hold and a coder decision (the subjects whose uncoded verbatims it
/// keys) refold from the stored events (one partition). Refolding is a pure function of the stored state, so a repeated
/// refold (at-least-once triggers) writes nothing new.
/// </para>
/// <para>
/// Several hosts may refold one subject at once. Each reads the facts row (its ETag) before it reads the events and
/// decisions, and writes conditional on that ETag (an insert on the row not existing); a host that loses re-reads and
/// refolds. So the row the last successful write leaves was folded from a state no older than any write that preceded
/// its ETag read, and every event write is followed by its own refold: the table ends equal to a full rebuild.
/// </para>
/// <para>
/// A new rules file (any change of its content hash, e.g. a new rule definition id) or a new fold format makes every row
/// stale: the next read rebuilds the whole table from the events (<see cref="RebuildAsync"/>), which is also the repair.
/// </para>
/// </remarks>
public sealed class FoldSubjectFacts(SafetyStore store, SafetyRules rules)
{
    /// <summary>Changes when <see cref="SubjectFacts"/> changes shape, so rows of an older build are rebuilt.</summary>
    private const string FormatVersion = "1";

    private const int MaxConflictAttempts = 50;
    private const int Parallelism = 8;

    /// <summary>
    /// Above this many subjects a refresh reads every event once rather than each subject's partition: per subject a
    /// refold costs four requests (row, decisions, events, SUPPAE), and on Azurite a partition query scans the whole
    /// table, so 2,000 subjects of a 100,000-event table took about a minute one by one.
    /// </summary>
    private const int BulkRefreshSubjects = 200;

    private readonly AesiConfiguration _aesi = AesiConfiguration.LoadDefaults();

    /// <summary>What the rows were folded for: the rules' content and the fold's and dictionary's versions.</summary>
    public string FoldVersion { get; } = $"{FormatVersion}:{rules.ContentSha256}:{CtcaeDictionary.V5.ContentSha256}";

    private SubjectFactsTable Table => store.SubjectFacts;

    /// <summary>Refolds each of these subjects from its stored events (idempotent).</summary>
    public async Task RefreshAsync(IEnumerable<(string StudyId, string SubjectId)> subjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var distinct = subjects.Distinct().ToList();
        if (distinct.Count > BulkRefreshSubjects)
        {
            await RefoldAsync(distinct, cancellationToken);
            return;
        }

        await Parallel.ForEachAsync(
            distinct,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (subject, ct) => await RefreshOneAsync(subject.StudyId, subject.SubjectId, ct));
    }

    /// <summary>
    /// Reads what a file's write needs to fold its subjects' facts from the partitions it writes (<see cref="FileFold"/>):
    /// the facts rows of <paramref name="subjects"/> with their ETags (the whole table above
    /// <see cref="BulkRefreshSubjects"/>, or with <paramref name="everySubject"/>: a full export also checks the subjects
    /// it does not hold), then the coder decisions and the SUPPAE flags. Call it before the write reads any event: see
    /// the remarks on the class.
    /// </summary>
    public async Task<FileFold> BeginFileAsync(IReadOnlyCollection<(string StudyId, string SubjectId)> subjects, bool everySubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        await MarkCompleteIfNoEventsAsync(cancellationToken);
        var stored = new ConcurrentDictionary<(string StudyId, string SubjectId), StoredSubjectFacts>();
        if (everySubject || subjects.Count > BulkRefreshSubjects)
        {
            foreach (var row in await Table.ReadAllAsync(cancellationToken))
            {
                stored[row.Key] = row;
            }
        }
        else
        {
            await Parallel.ForEachAsync(subjects.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (key, ct) =>
            {
                if (await Table.ReadAsync(key.StudyId, key.SubjectId, ct) is { } row)
                {
                    stored[key] = row;
                }
            });
        }

        var decisions = await store.CodingDecisions.ReadAllAsync(cancellationToken);
        var notEmergent = await store.Qualifiers.NotTreatmentEmergentAsync(cancellationToken);
        return new FileFold(this, stored, decisions, notEmergent);
    }

    /// <summary>
    /// The facts of the subjects one file writes, folded from each partition as the write leaves it
    /// (<see cref="AdverseEventTable.WriteAsync"/>) and written slice by slice in batches, each row conditional on the
    /// ETag read by <see cref="BeginFileAsync"/> before the events were read. A batch another host got to first is
    /// written row by row, and a row that lost is refolded from storage alone, as <see cref="RefreshAsync"/> would.
    /// </summary>
    public sealed class FileFold : IPartitionFold
    {
        private readonly FoldSubjectFacts _owner;
        private readonly ConcurrentDictionary<(string StudyId, string SubjectId), StoredSubjectFacts> _stored;
        private readonly CodingDecisions _decisions;
        private readonly HashSet<(string StudyId, string SubjectId, string AeId)> _notEmergent;
        private readonly ILookup<(string StudyId, string SubjectId), string> _notEmergentBySubject;
        private readonly ConcurrentQueue<((string StudyId, string SubjectId) Key, StoredSubjectFacts? Next)> _folded = new();

        internal FileFold(
            FoldSubjectFacts owner,
            ConcurrentDictionary<(string StudyId, string SubjectId), StoredSubjectFacts> stored,
            CodingDecisions decisions,
            HashSet<(string StudyId, string SubjectId, string AeId)> notEmergent)
        {
            (_owner, _stored, _decisions, _notEmergent) = (owner, stored, decisions, notEmergent);
            _notEmergentBySubject = BySubject(notEmergent);
        }

        /// <inheritdoc/>
        public bool IsFoldedFrom((string StudyId, string SubjectId) subject, string rows, bool anyLive) =>
            _stored.TryGetValue(subject, out var stored)
                ? stored.FoldVersion == _owner.FoldVersion && stored.FoldedFrom == FoldInputs(rows, stored.DecisionKeys, _decisions, _notEmergentBySubject[subject])
                : !anyLive;

        /// <inheritdoc/>
        public void Fold((string StudyId, string SubjectId) subject, List<AdverseEvent> live, string rows) =>
            _folded.Enqueue((subject, _owner.Facts(subject.StudyId, subject.SubjectId, live, rows, _notEmergent, _notEmergentBySubject[subject], _decisions)));

        /// <summary>Writes the rows folded since the last flush that differ from what is stored.</summary>
        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            var pending = new List<(StoredSubjectFacts? Stored, StoredSubjectFacts? Next)>();
            while (_folded.TryDequeue(out var folded))
            {
                pending.Add((_stored.GetValueOrDefault(folded.Key), folded.Next));
            }

            var refused = await _owner.Table.TryReplaceInBatchesAsync(pending, cancellationToken);
            await Parallel.ForEachAsync(refused, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
            {
                if (!await _owner.Table.TryReplaceAsync(row.Stored, row.Next, ct))
                {
                    var (studyId, subjectId) = (row.Stored ?? row.Next)!.Key;
                    await _owner.RefreshOneAsync(studyId, subjectId, ct);
                }
            });
        }
    }

    /// <summary>After a coder decision on <paramref name="verbatimKey"/>: refolds every subject with an event the ladder left
    /// uncoded under that key (the events the decision codes or, revoked, uncodes again).</summary>
    public async Task RefreshVerbatimAsync(string verbatimKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verbatimKey);
        var rows = await Table.ReadAllAsync(cancellationToken);
        await RefreshAsync(rows.Where(r => r.DecisionKeys.Contains(verbatimKey, StringComparer.Ordinal)).Select(r => r.Key), cancellationToken);
    }

    /// <summary>After a file's versions were reverted (a quarantined file): refolds the subjects it had written.</summary>
    public async Task RefreshRevertedAsync(string sha256, CancellationToken cancellationToken)
    {
        var subjects = await store.AdverseEvents.SubjectsRevertedByAsync(sha256, cancellationToken);
        await RefreshAsync(subjects, cancellationToken);
    }

    /// <summary>
    /// The facts of every subject with counted events, current for these rules: when the table was last rebuilt for
    /// other rules (or never), it is rebuilt from the events first; a row an older build wrote since is refolded.
    /// </summary>
    public async Task<List<SubjectFacts>> ReadAsync(CancellationToken cancellationToken)
    {
        if (await Table.CompleteForAsync(cancellationToken) != FoldVersion)
        {
            await RebuildAsync(cancellationToken);
        }

        var rows = await Table.ReadAllAsync(cancellationToken);
        var stale = rows.Where(r => r.FoldVersion != FoldVersion).Select(r => r.Key).ToList();
        if (stale.Count > 0)
        {
            await RefreshAsync(stale, cancellationToken);
            rows = await Table.ReadAllAsync(cancellationToken);
        }

        return [.. rows.Select(r => SubjectFacts.FromJson(r.FactsJson))];
    }

    /// <summary>
    /// Before the first file of a new store (or of rules never folded for): while no event is stored, the empty table is
    /// complete for these rules, so it is marked so (insert only), and the first read does not rebuild it from what the
    /// files write meanwhile, whose facts they keep themselves.
    /// </summary>
    private async Task MarkCompleteIfNoEventsAsync(CancellationToken cancellationToken)
    {
        if (await Table.CompleteForAsync(cancellationToken) is null && !await store.AdverseEvents.AnyAsync(cancellationToken))
        {
            // False when another host marked it first.
            await Table.MarkCompleteAsync(FoldVersion, onlyIfNeverMarked: true, cancellationToken);
        }
    }

    /// <summary>
    /// Rebuilds every row from the stored events (O(events)): after a rules change, and as the repair. Rows that are
    /// already right are left alone; rows of subjects with no counted event any more are deleted. Safe beside ingest on
    /// other hosts: rows are read before the events and written conditionally, and a row that changed meanwhile is refolded.
    /// </summary>
    /// <returns>How many rows were written or deleted.</returns>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        var changed = await RefoldAsync(null, cancellationToken);
        await Table.MarkCompleteAsync(FoldVersion, onlyIfNeverMarked: false, cancellationToken);
        return changed;
    }

    /// <summary>
    /// Refolds <paramref name="only"/> these subjects (every subject when null) from one read of every row, the
    /// decisions, the SUPPAE flags and the events, in that order; a row that changed meanwhile is refolded alone.
    /// </summary>
    private async Task<int> RefoldAsync(IReadOnlyCollection<(string StudyId, string SubjectId)>? only, CancellationToken cancellationToken)
    {
        var stored = (await Table.ReadAllAsync(cancellationToken)).ToDictionary(r => r.Key);
        var decisions = await store.CodingDecisions.ReadAllAsync(cancellationToken);
        var notEmergent = await store.Qualifiers.NotTreatmentEmergentAsync(cancellationToken);
        var (events, rows) = await store.AdverseEvents.ReadAllForFoldAsync(cancellationToken);
        var live = events.ToLookup(e => (e.StudyId, e.SubjectId));
        var notEmergentBySubject = BySubject(notEmergent);
        var keys = only?.ToList() ?? [.. stored.Keys.Union(live.Select(g => g.Key))];
        var changed = 0;
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                var facts = Facts(key.StudyId, key.SubjectId, [.. live[key]], rows.GetValueOrDefault(key), notEmergent, notEmergentBySubject[key], decisions);
                if (!await Table.TryReplaceAsync(stored.GetValueOrDefault(key), facts, ct))
                {
                    await RefreshOneAsync(key.StudyId, key.SubjectId, ct);
                }

                if (!StoredSubjectFacts.SameFacts(stored.GetValueOrDefault(key), facts))
                {
                    Interlocked.Increment(ref changed);
                }
            });

        return changed;
    }

    private async Task RefreshOneAsync(string studyId, string subjectId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The row (and its ETag) first, then the state it is folded from: see the remarks.
            var stored = await Table.ReadAsync(studyId, subjectId, cancellationToken);
            var decisions = await store.CodingDecisions.ReadAllAsync(cancellationToken);
            var (events, rows) = await store.AdverseEvents.ReadSubjectForFoldAsync(studyId, subjectId, cancellationToken);
            var notEmergent = await store.Qualifiers.NotTreatmentEmergentAsync(studyId, subjectId, cancellationToken);
            if (await Table.TryReplaceAsync(stored, Facts(studyId, subjectId, events, rows, notEmergent, notEmergent.Select(k => k.AeId), decisions), cancellationToken))
            {
                return;
            }

            if (attempt == MaxConflictAttempts)
            {
                throw new InvalidOperationException($"The facts of subject {studyId}/{subjectId} kept changing under this refold ({attempt} attempts).");
            }
        }
    }

    /// <summary>
    /// The row for a subject's live events (null when none counts), with the verbatim keys decisions may change and what
    /// it was folded from (<see cref="FoldInputs"/>; null when the rows' hash, <paramref name="rows"/>, is not known).
    /// </summary>
    private StoredSubjectFacts? Facts(
        string studyId,
        string subjectId,
        List<AdverseEvent> live,
        string? rows,
        HashSet<(string StudyId, string SubjectId, string AeId)> notEmergent,
        IEnumerable<string> subjectNotEmergent,
        CodingDecisions decisions)
    {
        var counted = SnapshotReader.Counted(live, notEmergent, decisions);
        if (counted.Count == 0)
        {
            return null;
        }

        var decisionKeys = live
            .Where(e => (e.Term is null || e.CodingMethod == CodingMethod.CoderDecision) && e.VerbatimTerm is not null)
            .Select(e => CodingDecisions.KeyOf(e.VerbatimTerm!))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new StoredSubjectFacts(
            studyId, subjectId, FoldVersion, SubjectFacts.Fold(rules, _aesi, counted).ToJson(), decisionKeys, rows is null ? null : FoldInputs(rows, decisionKeys, decisions, subjectNotEmergent));
    }

    /// <summary>
    /// What a subject's facts are folded from besides the rules: its AE rows (their <see cref="PartitionDigest.Rows"/>
    /// hash), the version of the coder decision on each verbatim key a decision may code, and the AE ids SUPPAE flags not
    /// treatment-emergent; as one SHA-256. Facts that record the value computed now were folded from what is stored now.
    /// </summary>
    private static string FoldInputs(string rows, IEnumerable<string> decisionKeys, CodingDecisions decisions, IEnumerable<string> notEmergent)
    {
        var inputs = new
        {
            rows,
            decisions = decisionKeys.Order(StringComparer.Ordinal).Select(k => new object[] { k, decisions.VersionOf(k) }),
            notEmergent = notEmergent.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
        };
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(inputs)));
    }

    private static ILookup<(string StudyId, string SubjectId), string> BySubject(HashSet<(string StudyId, string SubjectId, string AeId)> notEmergent) =>
        notEmergent.ToLookup(k => (k.StudyId, k.SubjectId), k => k.AeId);
}
