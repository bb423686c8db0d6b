using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>Reads the stored subjects and events and evaluates every rule on them.</summary>
public sealed class SnapshotReader(SafetyStore store, SafetyRules rules)
{
    public async Task<SafetyEvaluation> EvaluateAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var subjects = await store.Subjects.ReadAllAsync(cancellationToken);
        var events = await store.AdverseEvents.ReadAllAsync(cancellationToken);
        return SafetyEvaluation.Compute(rules, subjects, events, asOf);
    }
}
