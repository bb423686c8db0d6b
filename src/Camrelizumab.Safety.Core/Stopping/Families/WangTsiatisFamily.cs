using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Wang–Tsiatis(Δ): S_n ≥ n p0 + c (n/N)^(Δ−½) √(n p0 q0); Δ = 0 is O'Brien–Fleming, ½ normal-approximation Pocock.</summary>
internal sealed class WangTsiatisFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.WangTsiatis;

    public override string Name => "wt";

    public override IEnumerable<BoundaryProblem> Problems(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.Delta is null)
        {
            yield return new BoundaryProblem(BoundaryField.Delta, "(Δ) is required for the Wang–Tsiatis family.");
        }
    }

    protected override Func<int, int, double> Statistic(BoundaryDesign design)
    {
        var p0 = (double)design.P0;
        var maxN = design.Looks.MaxPatients;
        var delta = design.Delta!.Value;
        return (n, s) => Excess(n, s, design.P0) / (Math.Pow((double)n / maxN, delta - 0.5) * Math.Sqrt(n * p0 * (1 - p0)));
    }
}
