namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The Pocock-type boundary of Ivanova, Qaqish and Schell (Biometrics 2005;61:540-5): one nominal level π at every look,
/// b_n = min{s : P(Bin(n, p0) ≥ s) ≤ π}, with π the largest level whose crossing probability is at most α.
/// Calibrated exactly by <see cref="ExactCalibration"/>.
/// </summary>
internal static class PocockBoundary
{
    public static StoppingBoundary Calibrate(decimal p0, decimal alpha, Looks looks) =>
        BoundaryCalculator.Compute(new BoundaryDesign { Method = BoundaryMethod.Pocock, P0 = p0, Alpha = alpha, Looks = looks });
}
