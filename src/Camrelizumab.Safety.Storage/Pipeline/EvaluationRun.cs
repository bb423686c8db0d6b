using Camrelizumab.Safety.Core.Aggregation;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>The result of one timer run of <see cref="EvaluateStoppingRules"/>.</summary>
/// <param name="NewAlerts">Crossings reserved for the first time in this run.</param>
public sealed record EvaluationRun(SafetyEvaluation Evaluation, IReadOnlyList<string> NewAlerts);
