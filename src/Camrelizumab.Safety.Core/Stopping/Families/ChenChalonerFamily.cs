using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Chen and Chaloner 2006: P(p &gt; p0 | ·) &gt; c and P(p &gt; p1 | ·) &gt; ν; calibrated in c.</summary>
internal sealed class ChenChalonerFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.ChenChaloner;

    public override string Name => "cc";

    public override IEnumerable<BoundaryProblem> Problems(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        foreach (var problem in AlternativeAboveP0(design))
        {
            yield return problem;
        }

        if (design.Nu is not (> 0 and < 1))
        {
            yield return new BoundaryProblem(BoundaryField.Nu, "must lie strictly between 0 and 1 for Chen–Chaloner.");
        }
    }

    protected override Func<int, int, double> Statistic(BoundaryDesign design)
    {
        var (a, b) = design.Prior ?? (1.0, 1.0);
        var (p0, p1, nu) = ((double)design.P0, (double)design.P1!.Value, design.Nu!.Value);
        return (n, s) => 1 - PosteriorAtMost(a, b, n, s, p1) > nu ? -PosteriorAtMost(a, b, n, s, p0) : double.NegativeInfinity;
    }

    protected override (double Low, double High, string Text) Constant(ExactCalibration.Result result, BoundaryDesign design) =>
        (1 + result.Low, 1 + result.High, Invariant($"c in ({1 + result.Low:G10}, {1 + result.High:G10}], with ν = {design.Nu}"));
}
