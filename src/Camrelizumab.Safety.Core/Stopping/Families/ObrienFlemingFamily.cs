using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>O'Brien–Fleming type: S_n ≥ n p0 + c √(N p0 q0).</summary>
internal sealed class ObrienFlemingFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.ObrienFleming;

    public override string Name => "obf";

    protected override Func<int, int, double> Statistic(BoundaryDesign design)
    {
        var p0 = (double)design.P0;
        var scale = Math.Sqrt(design.Looks.MaxPatients * p0 * (1 - p0));
        return (n, s) => Excess(n, s, design.P0) / scale;
    }
}
