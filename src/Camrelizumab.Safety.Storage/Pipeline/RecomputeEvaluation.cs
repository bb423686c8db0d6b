using System.Text.Json;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// Recomputes a stored evaluation from its kept inputs (data snapshot, rules file, as-of date) and compares every
/// stored result with the recomputed one, so any past decision can be checked exactly.
/// </summary>
public sealed class RecomputeEvaluation(SafetyStore store, CtcaeDictionary dictionary)
{
    public async Task<RecomputeResult> RunAsync(string evaluationId, CancellationToken cancellationToken)
    {
        var stored = await store.RuleEvaluations.ReadAllAsync(evaluationId, cancellationToken);
        if (stored.Count == 0)
        {
            throw new InvalidOperationException($"No stored evaluation has id {evaluationId}.");
        }

        var first = stored[0];
        var (snapshotSha, rulesSha, asOf) = (first.DataSnapshotSha256, first.RulesSha256, first.AsOf);
        var snapshot = await store.EvaluationInputs.GetBlobClient(SnapshotReader.SnapshotBlob(snapshotSha)).DownloadContentAsync(cancellationToken);
        var rulesBytes = await store.EvaluationInputs.GetBlobClient(SnapshotReader.RulesBlob(rulesSha)).DownloadContentAsync(cancellationToken);
        var rules = SafetyRules.Load(rulesBytes.Value.Content.ToStream(), $"rules {rulesSha[..12]}");
        // An evaluation on kept facts stored its roster and facts; one from before them stored every event.
        var (subjects, events, facts) = DataSnapshot.ReadAny(snapshot.Value.Content.ToMemory().Span, dictionary);
        var recomputed = facts.Count > 0 || events.Count == 0
            ? SafetyEvaluation.FromFacts(rules, subjects, facts, asOf)
            : SafetyEvaluation.Compute(rules, subjects, events, asOf);
        var recomputedSha = facts.Count > 0 || events.Count == 0 ? recomputed.DataSnapshotSha256 : SafetyEvaluation.SnapshotHash(subjects, events);

        var differences = new List<string>();
        if (recomputedSha != snapshotSha)
        {
            differences.Add($"data snapshot hash: stored {snapshotSha[..12]}, recomputed {recomputedSha[..12]}");
        }

        foreach (var row in stored)
        {
            var ruleId = row.RuleId;
            var result = recomputed.Evaluations.SingleOrDefault(e => e.Rule.Id == ruleId);
            if (result is null)
            {
                differences.Add($"{ruleId}: not in the stored rules file");
                continue;
            }

            Compare(differences, ruleId, "status", row.Status, result.Status.ToString());
            Compare(differences, ruleId, "events", row.Events, result.Events);
            Compare(differences, ruleId, "evaluable", row.Evaluable, result.Evaluable);
            Compare(differences, ruleId, "pending", row.Pending, result.Pending);
            Compare(differences, ruleId, "enrolled", row.Enrolled, result.Enrolled);
            Compare(differences, ruleId, "crossing look", row.CrossingLook, result.Crossing?.Look);
            Compare(differences, ruleId, "boundary at enrolled", row.BoundaryAtEnrolled, result.BoundaryAtEnrolled);
            Compare(differences, ruleId, "boundaries", row.Boundaries, JsonSerializer.Serialize(result.Boundary.Boundaries));
            Compare(differences, ruleId, "subjects", row.SubjectsWithEvent, string.Join(';', result.SubjectsWithEvent));
        }

        return new RecomputeResult(
            evaluationId,
            asOf,
            stored.Count,
            differences,
            first.CodeVersion,
            SafetyEvaluation.CurrentCodeVersion,
            first.DictionarySha256 == dictionary.ContentSha256);
    }

    private static void Compare<T>(List<string> differences, string ruleId, string field, T stored, T recomputed)
    {
        if (!EqualityComparer<T>.Default.Equals(stored, recomputed))
        {
            differences.Add($"{ruleId} {field}: stored {stored}, recomputed {recomputed}");
        }
    }
}

/// <param name="Differences">Empty when every stored result was reproduced.</param>
/// <param name="SameDictionary">Whether the stored dictionary hash equals the one in this build.</param>
public sealed record RecomputeResult(
    string EvaluationId,
    DateOnly AsOf,
    int Rules,
    IReadOnlyList<string> Differences,
    string StoredCodeVersion,
    string CurrentCodeVersion,
    bool SameDictionary)
{
    public bool Reproduced => Differences.Count == 0;
}
