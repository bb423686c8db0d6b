using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>Everything a DSMB summary shows, gathered by the caller.</summary>
public sealed record DsmbReportInput(
    string Study,
    DateOnly AsOf,
    DateTimeOffset GeneratedAt,
    string RulesVersion,
    string DictionaryVersion,
    string EvaluationId,
    SafetySummary Summary,
    IReadOnlyList<RuleEvaluation> Evaluations,
    IReadOnlyList<ArmMultiplicity> Multiplicity);
