namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>An arm's headline counts as an evaluation stored them in <see cref="ArmAggregateTable"/> (subjects at their worst).</summary>
public sealed record StoredArmAggregate(
    string Arm,
    string EvaluationId,
    int Subjects,
    int SubjectsWithAnyEvent,
    int SubjectsWithGrade3OrWorse,
    int SubjectsWithSerious,
    int SubjectsWithFatal);
