using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Beta-binomial posterior P(p &gt; p0 | data) ≥ c (Geller et al. 2003).</summary>
internal sealed class BetaBinomialFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.BetaBinomial;

    public override string Name => "bb";

    // The posterior tail tends to 1; its complement keeps distinct values distinct in double precision.
    protected override Func<int, int, double> Statistic(BoundaryDesign design)
    {
        var (a, b) = design.Prior ?? (1.0, 1.0);
        var p0 = (double)design.P0;
        return (n, s) => -PosteriorAtMost(a, b, n, s, p0);
    }

    protected override (double Low, double High, string Text) Constant(ExactCalibration.Result result, BoundaryDesign design) =>
        (1 + result.Low, 1 + result.High, Invariant($"c in ({1 + result.Low:G10}, {1 + result.High:G10}]"));
}
