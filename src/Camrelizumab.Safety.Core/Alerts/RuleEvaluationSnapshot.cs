namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>A rule's result as it stood at an earlier point (the last DSMB summary), for "what changed".</summary>
public sealed record RuleEvaluationSnapshot(string RuleId, DateOnly AsOf, string Status, int Events, int Evaluable);
