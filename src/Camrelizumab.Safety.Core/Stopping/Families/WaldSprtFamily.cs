using System.Globalization;
using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Wald's open SPRT with Wald's thresholds from α and β, truncated at N; exact operating characteristics.</summary>
internal sealed class WaldSprtFamily : BoundaryFamily
{
    /// <summary>β (1 − power at p1) when the design gives none.</summary>
    public const double DefaultBeta = 0.2;

    public override BoundaryMethod Method => BoundaryMethod.WaldSprt;

    public override string Name => "wald";

    public override IEnumerable<BoundaryProblem> Problems(BoundaryDesign design) => AlternativeAboveP0(design);

    public override StoppingBoundary Compute(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var p0 = (double)design.P0;
        var p1 = (double)design.P1!.Value;
        var alpha = (double)design.Alpha;
        var beta = design.Beta ?? DefaultBeta;
        var g1 = Math.Log(p1 / p0);
        var g2 = Math.Log((1 - p0) / (1 - p1));
        var slope = g2 / (g1 + g2);
        var h1 = Math.Log((1 - beta) / alpha) / (g1 + g2);
        var h0 = Math.Log((1 - alpha) / beta) / (g1 + g2);
        var upper = new int[design.Looks.Values.Count];
        var lower = new int[design.Looks.Values.Count];
        for (var i = 0; i < upper.Length; i++)
        {
            var n = design.Looks.Values[i];
            upper[i] = Math.Min(n + 1, CeilingWithTolerance(h1 + (slope * n)));
            lower[i] = Math.Max(-1, FloorWithTolerance(-h0 + (slope * n)));
        }

        var achieved = OperatingCharacteristics.Compute(design.Looks, upper, p0, lower).RejectProbability;
        return new StoppingBoundary(Method, design.P0, design.Alpha, design.Looks, upper, upper.Any(b => b <= design.Looks.MaxPatients), achieved, h1, h0)
        {
            AcceptBoundaries = lower,
            ConstantDescription = string.Create(CultureInfo.InvariantCulture, $"Wald thresholds: reject if S ≥ {h1:G6} + {slope:G6}·n, accept if S ≤ −{h0:G6} + {slope:G6}·n (α = {alpha}, β = {beta}); truncated at N, exact OC"),
        };
    }
}
