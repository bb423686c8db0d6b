using System.Text.Json;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Aggregation;

/// <summary>Every figure of an evaluation as text, so that two evaluations are compared whole (shared with the storage
/// and runner tests, which compare the incremental evaluation with the full recompute on stored data).</summary>
internal static class EvaluationText
{
    public static string Describe(SafetyEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return JsonSerializer.Serialize(new
        {
            evaluation.EvaluationId,
            evaluation.DataSnapshotSha256,
            evaluation.Summary,
            evaluation.DataQueries,
            Evaluations = evaluation.Evaluations.Select(Rule),
            IfUncoded = evaluation.IfUncodedQualified.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Rule(p.Value)),
        });

        static object Rule(RuleEvaluation e) => new { e.Rule.Id, e.Status, e.Enrolled, e.Evaluable, e.Events, e.Pending, e.BoundaryAtEnrolled, e.Crossing, e.Distance, e.SubjectsWithEvent, e.Path };
    }
}
