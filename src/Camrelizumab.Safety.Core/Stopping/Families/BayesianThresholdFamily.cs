using System.Globalization;
using static Camrelizumab.Safety.Core.Stopping.Families.BoundaryStatistics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Uncalibrated Bayesian threshold: P(p &gt; p0 | data) &gt; c with a fixed c (Thall–Simon–Estey type); α is reported, not held.</summary>
internal sealed class BayesianThresholdFamily : BoundaryFamily
{
    public override BoundaryMethod Method => BoundaryMethod.BayesianThreshold;

    public override string Name => "bayes";

    public override IEnumerable<BoundaryProblem> Problems(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.Threshold is not (> 0 and < 1))
        {
            yield return new BoundaryProblem(BoundaryField.Threshold, "(c) must lie strictly between 0 and 1 for the uncalibrated Bayesian rule.");
        }
    }

    public override StoppingBoundary Compute(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var (a, b) = design.Prior ?? (1.0, 1.0);
        var c = design.Threshold!.Value;
        var p0 = (double)design.P0;
        var boundaries = design.Looks.Values.Select(n => FirstStrictlyAbove(n, s => 1 - PosteriorAtMost(a, b, n, s, p0), c)).ToArray();
        var achieved = OperatingCharacteristics.Compute(design.Looks, boundaries, p0).RejectProbability;
        return new StoppingBoundary(Method, design.P0, design.Alpha, design.Looks, boundaries, boundaries.Any(x => x <= design.Looks.MaxPatients), achieved, c, c)
        {
            ConstantDescription = string.Create(CultureInfo.InvariantCulture, $"uncalibrated: stop if P(p > {design.P0} | data) > {c}, prior Beta({a}, {b}); false-stop rate at p0 = {achieved:G6} (α is not controlled)"),
        };
    }
}
