
namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The false-alarm probability of one arm's rules together, with every endpoint at its own p0.</summary>
/// <param name="Exact">Exact by multinomial recursion, endpoints nested where their definitions imply it, otherwise independent.</param>
/// <param name="Independent">The same recursion with every endpoint independent (equal to 1 − Π(1 − α_k)).</param>
/// <param name="Nesting">Each rule id with the id of the rule it is nested in, if any.</param>
public sealed record ArmMultiplicity(string Arm, double Exact, double Independent, IReadOnlyList<(string RuleId, string? NestedIn)> Nesting)
{
    public static IReadOnlyList<ArmMultiplicity> Compute(SafetyRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var evaluator = new RuleEvaluator();
        var result = new List<ArmMultiplicity>();
        foreach (var arm in rules.Arms)
        {
            var armRules = rules.Rules.Where(r => r.Arm == arm.Code).ToList();
            var boundaries = armRules.Select(evaluator.BoundaryFor).ToList();
            var rates = armRules.Select(r => (double)r.P0).ToList();

            // Nest each rule in the containing rule with the smallest p0 that is still at least its own.
            var parents = armRules.Select((rule, i) => armRules
                .Select((other, j) => (other, j))
                .Where(x => x.j != i && x.other.Event.Contains(rule.Event) && x.other.P0 >= rule.P0 && !(rule.Event.Contains(x.other.Event) && x.j > i))
                .OrderBy(x => x.other.P0)
                .Select(x => x.j)
                .DefaultIfEmpty(-1)
                .First()).ToList();
            var exact = FamilyWiseError.Compute(boundaries, rates, parents);
            var independent = FamilyWiseError.Compute(boundaries, rates, [.. Enumerable.Repeat(-1, armRules.Count)]);
            result.Add(new ArmMultiplicity(arm.Code, exact, independent, [.. armRules.Select((r, i) => (r.Id, parents[i] >= 0 ? armRules[parents[i]].Id : null))]));
        }

        return result;
    }

    /// <summary>Across independent arms: 1 − Π(1 − FWER_arm).</summary>
    public static double AcrossArms(IEnumerable<ArmMultiplicity> arms) => 1 - arms.Aggregate(1.0, (product, a) => product * (1 - a.Exact));
}
