using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Constant nominal level π at every look (Ivanova, Qaqish and Schell, Biometrics 2005;61:540-5).</summary>
internal sealed class PocockFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.Pocock;

    public override string Name => "pocock";

    protected override Func<int, int, double> Statistic(BoundaryDesign design)
    {
        var p0 = (double)design.P0;
        return (n, s) => -Tail(n, s, p0);
    }

    // Stop iff P(Bin(n, p0) ≥ S) ≤ π: levels in [π_lo, π_hi) give the same rule.
    protected override (double Low, double High, string Text) Constant(ExactCalibration.Result result, BoundaryDesign design) =>
        (-result.High, Math.Min(1, -result.Low), Invariant($"nominal level π in [{-result.High:G10}, {Math.Min(1, -result.Low):G10})"));
}
