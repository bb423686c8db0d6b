using System.Globalization;
using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>
/// BOP2-type toxicity rule (Zhou, Lee and Yuan 2017): stop when P(θ &gt; φ | D_n) &gt; 1 − λ (n/N)^γ, prior Beta(φ, 1 − φ).
/// Grid λ ∈ {0.50, 0.51, …, 0.99}, γ ∈ {0, 0.1, …, 3}; keep the designs whose P(no stop) at the unacceptable rate φ (= p0)
/// is at most α, and choose the one with the highest P(no stop) at the acceptable rate p1 (ties: the smallest λ, then the
/// smallest γ). Exact OC replaces BOP2's simulation.
/// </summary>
internal sealed class Bop2Family : BoundaryFamily
{
    public override BoundaryMethod Method => BoundaryMethod.Bop2;

    public override string Name => "bop2";

    public override IEnumerable<BoundaryProblem> Problems(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.P1 is { } acceptable && acceptable >= design.P0)
        {
            yield return new BoundaryProblem(BoundaryField.P1, $"{acceptable} (BOP2's acceptable rate) must be below p0 ({design.P0}, the unacceptable rate φ).");
        }
    }

    public override StoppingBoundary Compute(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var phi = (double)design.P0;
        var acceptable = (double)(design.P1 ?? design.P0 / 2);
        var maxN = design.Looks.MaxPatients;
        (double Lambda, double Gamma, int[] Boundaries, double NoStopAtPhi, double NoStopAtAcceptable)? best = null;
        var seen = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        for (var li = 50; li <= 99; li++)
        {
            for (var gi = 0; gi <= 30; gi++)
            {
                var lambda = li / 100.0;
                var gamma = gi / 10.0;
                var boundaries = design.Looks.Values.Select(n =>
                {
                    var cutoff = 1 - (lambda * Math.Pow((double)n / maxN, gamma));
                    return FirstStrictlyAbove(n, s => 1 - PosteriorAtMost(phi, 1 - phi, n, s, phi), cutoff);
                }).ToArray();
                var key = string.Join(',', boundaries);
                if (!seen.TryGetValue(key, out var oc))
                {
                    oc = (1 - OperatingCharacteristics.Compute(design.Looks, boundaries, phi).RejectProbability,
                          1 - OperatingCharacteristics.Compute(design.Looks, boundaries, acceptable).RejectProbability);
                    seen[key] = oc;
                }

                if (oc.Item1 <= (double)design.Alpha * (1 + 1e-12) && (best is null || oc.Item2 > best.Value.NoStopAtAcceptable * (1 + 1e-12)))
                {
                    best = (lambda, gamma, boundaries, oc.Item1, oc.Item2);
                }
            }
        }

        if (best is not { } chosen)
        {
            return new StoppingBoundary(Method, design.P0, design.Alpha, design.Looks, [.. design.Looks.Values.Select(n => n + 1)], false, 0, double.NaN, double.NaN)
            {
                ConstantDescription = "no (λ, γ) on the grid keeps P(no stop) at φ at or below α",
            };
        }

        return new StoppingBoundary(Method, design.P0, design.Alpha, design.Looks, chosen.Boundaries, true, 1 - chosen.NoStopAtPhi, chosen.Lambda, chosen.Gamma)
        {
            ConstantDescription = string.Create(CultureInfo.InvariantCulture, $"λ = {chosen.Lambda}, γ = {chosen.Gamma}: P(no stop | {phi}) = {chosen.NoStopAtPhi:G6}, P(no stop | {acceptable}) = {chosen.NoStopAtAcceptable:G6}"),
        };
    }
}
