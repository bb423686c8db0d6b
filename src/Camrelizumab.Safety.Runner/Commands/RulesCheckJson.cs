using System.Text.Json;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>The JSON of <c>safety rules check --json</c>, and the one-sentence meaning of each family-wise figure.</summary>
internal static class RulesCheckJson
{
    public const string ExactMeaning =
        "the probability that at least one of the arm's rules ever crosses when every endpoint's true rate is its p0, computed exactly with the nesting the definitions imply (a treatment-related death is also a grade ≥3 treatment-related AE) and other endpoints independent.";

    public const string IndependentMeaning =
        "the same probability if the endpoints were independent, 1 − Π(1 − achieved α); the gap to the exact figure is what the nesting saves.";

    public const string AcrossArmsMeaning =
        "the probability that some rule in either arm crosses with every endpoint at its p0, 1 − Π(1 − exact per arm), since the arms' subjects are independent.";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Write(SafetyRules rules, SafetyEvaluation evaluation, IReadOnlyList<ArmMultiplicity> arms) => JsonSerializer.Serialize(new
    {
        rulesVersion = rules.Version,
        rulesSha256 = rules.ContentSha256,
        evaluationId = evaluation.EvaluationId,
        asOf = evaluation.AsOf,
        dataSnapshotSha256 = evaluation.DataSnapshotSha256,
        order = "enrolment (first dose); look n crosses once the known events among the first n enrolled reach its boundary",
        rules = evaluation.Evaluations.Select(e => new
        {
            id = e.Rule.Id,
            title = e.Rule.Title,
            arm = e.Rule.Arm,
            method = e.Rule.Method.Name(),
            p0 = e.Rule.P0,
            alpha = e.Rule.Alpha,
            achievedAlpha = e.Boundary.AchievedAlpha,
            maxPatients = e.Rule.MaxPatients,
            status = e.Status.ToString(),
            crossing = e.Crossing,
            enrolled = e.Enrolled,
            evaluable = e.Evaluable,
            events = e.Events,
            pending = e.Pending,
            boundaryAtEnrolled = e.BoundaryAtEnrolled,
            distance = e.Distance,
            text = e.DistanceText,
            subjectsWithEvent = e.SubjectsWithEvent,
        }),
        familyWise = new
        {
            arms = arms.Select(a => new
            {
                arm = a.Arm,
                exact = a.Exact,
                independent = a.Independent,
                nesting = a.Nesting.Where(n => n.NestedIn is not null).Select(n => new { rule = n.RuleId, nestedIn = n.NestedIn }),
            }),
            acrossArms = ArmMultiplicity.AcrossArms(arms),
            meaning = new { exact = ExactMeaning, independent = IndependentMeaning, acrossArms = AcrossArmsMeaning },
        },
    }, Options);
}
