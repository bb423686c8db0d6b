using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>A stopping-rule crossing to be told to the safety physicians and the DSMB, exactly once.</summary>
/// <param name="AlertId">Stable id: rule, arm and crossing number; the same crossing always has the same id.</param>
/// <param name="EvaluationId">The stored evaluation that reproduces the decision.</param>
public sealed record DsmbAlert(
    string AlertId,
    string Study,
    string ArmLabel,
    RuleEvaluation Evaluation,
    string EvaluationId,
    DateTimeOffset RaisedAt)
{
    public static string IdFor(string ruleId, string arm, int crossing) =>
        $"{ruleId}.{arm}.{crossing}".ToLowerInvariant();
}
