using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>Reads the stored subjects and events, evaluates every rule on them, and keeps the exact inputs.</summary>
public sealed class SnapshotReader(SafetyStore store, SafetyRules rules)
{
    public SafetyRules Rules => rules;

    /// <summary>The per-subject facts the evaluation reads, kept as events change.</summary>
    public FoldSubjectFacts Facts { get; } = new(store, rules);

    /// <summary>Evaluates on the kept per-subject facts: O(subjects), equal to a full recompute from the events.</summary>
    public async Task<SafetyEvaluation> EvaluateAsync(DateOnly asOf, CancellationToken cancellationToken) =>
        (await ReadFactsAsync(asOf, cancellationToken)).Evaluation;

    private async Task<(SafetyEvaluation Evaluation, List<Subject> Subjects, List<SubjectFacts> Facts)> ReadFactsAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var subjects = await store.Subjects.ReadAllAsync(rules.Study, cancellationToken);
        var facts = await Facts.ReadAsync(cancellationToken);
        return (SafetyEvaluation.FromFacts(rules, subjects, facts, asOf), subjects, facts);
    }

    /// <summary>The stored subjects and events with their evaluation.</summary>
    public async Task<(SafetyEvaluation Evaluation, List<Subject> Subjects, List<AdverseEvent> Events)> ReadAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var (subjects, events) = await ReadCountedAsync(cancellationToken);
        return (SafetyEvaluation.Compute(rules, subjects, events, asOf), subjects, events);
    }

    /// <summary>How much of the counted data is provisional now, for messages sent outside an evaluation (expedited alerts).</summary>
    public async Task<DataQuerySummary> DataQueriesAsync(CancellationToken cancellationToken)
    {
        var subjects = await store.Subjects.ReadAllAsync(rules.Study, cancellationToken);
        return DataQueryCount.OfFacts(await Facts.ReadAsync(cancellationToken), subjects);
    }

    /// <summary>The roster and the events that count, coded by the decisions in force.</summary>
    private async Task<(List<Subject> Subjects, List<AdverseEvent> Events)> ReadCountedAsync(CancellationToken cancellationToken)
    {
        var subjects = await store.Subjects.ReadAllAsync(rules.Study, cancellationToken);
        // Live events only (deleted at the source are not read), and never one flagged not treatment-emergent.
        // SUPPAE AETRTEM = N counts the same as the AE's own flag.
        var notEmergent = await store.Qualifiers.NotTreatmentEmergentAsync(cancellationToken);
        // Coder decisions in force code the events the ladder left uncoded (and only those); the snapshot records
        // which decision coded each, so a recompute needs nothing but the snapshot.
        var decisions = await store.CodingDecisions.ReadAllAsync(cancellationToken);
        return (subjects, Counted(await store.AdverseEvents.ReadAllAsync(cancellationToken), notEmergent, decisions));
    }

    /// <summary>The live events that count, coded by the decisions in force: never one flagged not treatment-emergent
    /// (by the AE's own flag or SUPPAE AETRTEM = N).</summary>
    public static List<AdverseEvent> Counted(
        IEnumerable<AdverseEvent> live, IReadOnlySet<(string StudyId, string SubjectId, string AeId)> notEmergent, CodingDecisions decisions)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(notEmergent);
        ArgumentNullException.ThrowIfNull(decisions);
        return decisions.Apply(live.Where(e => e.TreatmentEmergent is not false && !notEmergent.Contains((e.StudyId, e.SubjectId, e.AeId))));
    }

    /// <summary>The coder decisions in force, as the canonical JSON kept beside each evaluation's inputs.</summary>
    public static byte[] DecisionsFile(CodingDecisions decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var rows = decisions.Current.OrderBy(d => d.VerbatimKey, StringComparer.Ordinal).Select(d => new
        {
            verbatimKey = d.VerbatimKey,
            version = d.Version,
            term = d.Term?.Name,
            meddra = d.Term?.Code.Value,
            decidedBy = d.DecidedBy,
            decidedAt = d.DecidedAt,
            reason = d.Reason,
            revoked = d.IsRevoked,
        });
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows);
    }

    /// <summary>
    /// Evaluates on the kept per-subject facts and writes the facts snapshot (roster and facts) and the rules file to
    /// <c>evaluation-inputs</c>, each named by its SHA-256 and written once, so the evaluation can be recomputed exactly
    /// later (<see cref="RecomputeEvaluation"/>).
    /// </summary>
    public async Task<SafetyEvaluation> EvaluateAndKeepInputsAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var (evaluation, subjects, facts) = await ReadFactsAsync(asOf, cancellationToken);
        await WriteOnceAsync(store.EvaluationInputs.GetBlobClient(SnapshotBlob(evaluation.DataSnapshotSha256)), DataSnapshot.WriteFacts(subjects, facts), cancellationToken);
        await WriteOnceAsync(store.EvaluationInputs.GetBlobClient(RulesBlob(evaluation.RulesSha256)), rules.Content.ToArray(), cancellationToken);
        var decisions = DecisionsFile(await store.CodingDecisions.ReadAllAsync(cancellationToken));
        var decisionsSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(decisions));
        await WriteOnceAsync(store.EvaluationInputs.GetBlobClient(DecisionsBlob(decisionsSha)), decisions, cancellationToken);
        return evaluation with { CodingDecisionsSha256 = decisionsSha };
    }

    public static string SnapshotBlob(string sha256) => $"snapshots/{sha256}.jsonl";

    public static string RulesBlob(string sha256) => $"rules/{sha256}.json";

    public static string DecisionsBlob(string sha256) => $"coding/{sha256}.json";

    private static async Task WriteOnceAsync(BlobClient blob, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already stored: the name is the hash of these bytes.
        }
    }
}
