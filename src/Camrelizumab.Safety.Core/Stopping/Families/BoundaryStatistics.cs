using MathNet.Numerics;

namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>The binomial and Beta quantities the families share.</summary>
internal static class BoundaryStatistics
{
    /// <summary>s − n·p0, exact in decimal so that ties (p0 = 0.2: 1 − 5·0.2 = 2 − 10·0.2) stay ties.</summary>
    public static double Excess(int n, int s, decimal p0) => (double)(s - (n * p0));

    /// <summary>P(Bin(n, p0) ≥ s) = I_{p0}(s, n − s + 1), computed directly so small tails keep their relative precision.</summary>
    public static double Tail(int n, int s, double p0) => s <= 0 ? 1 : SpecialFunctions.BetaRegularized(s, n - s + 1, p0);

    /// <summary>P(p ≤ rate | s of n) under a Beta(a, b) prior: the posterior's lower tail I_rate(a + s, b + n − s).</summary>
    public static double PosteriorAtMost(double a, double b, int n, int s, double rate) => SpecialFunctions.BetaRegularized(a + s, b + n - s, rate);

    /// <summary>The smallest s in 0..n whose probability is strictly above the cutoff; n + 1 (cannot stop) when none is.</summary>
    public static int FirstStrictlyAbove(int n, Func<int, double> probability, double cutoff)
    {
        for (var s = 0; s <= n; s++)
        {
            if (probability(s) > cutoff)
            {
                return s;
            }
        }

        return n + 1;
    }

    public static int CeilingWithTolerance(double x)
    {
        var rounded = Math.Round(x);
        return Math.Abs(x - rounded) <= 1e-9 * Math.Max(1, Math.Abs(x)) ? (int)rounded : (int)Math.Ceiling(x);
    }

    public static int FloorWithTolerance(double x)
    {
        var rounded = Math.Round(x);
        return Math.Abs(x - rounded) <= 1e-9 * Math.Max(1, Math.Abs(x)) ? (int)rounded : (int)Math.Floor(x);
    }
}
