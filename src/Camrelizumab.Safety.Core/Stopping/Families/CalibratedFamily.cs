using System.Globalization;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>
/// A family whose boundary is S_n ≥ the smallest s with statistic(n, s) ≥ c, with c calibrated exactly so that the crossing
/// probability at p0 is at most α (<see cref="ExactCalibration"/>, docs/stopping-rules.md §3).
/// </summary>
internal abstract class CalibratedFamily : BoundaryFamily
{
    /// <summary>The family's statistic; it rises with s for fixed n.</summary>
    protected abstract Func<int, int, double> Statistic(BoundaryDesign design);

    /// <summary>The interval of calibration constants that give the chosen boundaries, in the family's own terms.</summary>
    protected virtual (double Low, double High, string Text) Constant(ExactCalibration.Result result, BoundaryDesign design) =>
        (result.Low, result.High, Invariant($"c in ({result.Low:G10}, {result.High:G10}]"));

    public sealed override StoppingBoundary Compute(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var result = ExactCalibration.Calibrate(design.Looks, design.P0, design.Alpha, Statistic(design));
        if (!result.Feasible)
        {
            return new StoppingBoundary(Method, design.P0, design.Alpha, design.Looks, result.Boundaries, false, 0, double.NaN, double.NaN)
            {
                ConstantDescription = "no constant keeps the crossing probability at or below α; the rule can never stop",
            };
        }

        var (low, high, text) = Constant(result, design);
        return new StoppingBoundary(Method, design.P0, design.Alpha, design.Looks, result.Boundaries, true, result.AchievedAlpha, low, high)
        {
            ConstantDescription = text,
        };
    }

    protected static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
