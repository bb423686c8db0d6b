using Camrelizumab.Safety.Core.Stopping;
using MathNet.Numerics;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

/// <summary>
/// Slow, obviously-correct references for small N, written separately from the library: each family's statistic from
/// its textbook formula, every attainable value tried as the constant, and each rule's crossing probability by
/// enumerating all 2^N outcome paths.
/// </summary>
internal static class BruteForce
{
    public static double CrossingProbability(IReadOnlyList<int> boundaries, double p)
    {
        var total = 0.0;
        var maxN = boundaries.Count;
        for (var mask = 0; mask < 1 << maxN; mask++)
        {
            var s = 0;
            var probability = 1.0;
            var crossed = false;
            for (var n = 1; n <= maxN; n++)
            {
                var tox = ((mask >> (n - 1)) & 1) == 1;
                probability *= tox ? p : 1 - p;
                s += tox ? 1 : 0;
                crossed |= s >= boundaries[n - 1];
            }

            total += crossed ? probability : 0;
        }

        return total;
    }

    /// <summary>The least conservative rule of the family (largest crossing probability) that keeps it at or below α.</summary>
    public static (int[] Boundaries, double Crossing) Calibrate(BoundaryMethod method, double p0, double alpha, int maxN, double delta, double p1, double nu, (double A, double B) prior)
    {
        double Statistic(int n, int s)
        {
            var q0 = 1 - p0;
            var posteriorAbove = (double x) => 1 - SpecialFunctions.BetaRegularized(prior.A + s, prior.B + n - s, x);
            return method switch
            {
                BoundaryMethod.Pocock => -Enumerable.Range(s, n - s + 1).Sum(j => SpecialFunctions.Binomial(n, j) * Math.Pow(p0, j) * Math.Pow(q0, n - j)),
                BoundaryMethod.ObrienFleming => (s - (n * p0)) / Math.Sqrt(maxN * p0 * q0),
                BoundaryMethod.WangTsiatis => (s - (n * p0)) / (Math.Pow((double)n / maxN, delta - 0.5) * Math.Sqrt(n * p0 * q0)),
                BoundaryMethod.BetaBinomial => posteriorAbove(p0),
                BoundaryMethod.ChenChaloner => posteriorAbove(p1) > nu ? posteriorAbove(p0) : double.NegativeInfinity,
                BoundaryMethod.TruncatedSprt => (s * Math.Log(p1 / p0)) + ((n - s) * Math.Log((1 - p1) / q0)),
                BoundaryMethod.MaxSprt => s > n * p0 ? (s * Math.Log(s / (n * p0))) + (s < n ? (n - s) * Math.Log((n - s) / (n * q0)) : 0) : double.NegativeInfinity,
                _ => throw new ArgumentOutOfRangeException(nameof(method)),
            };
        }

        var values = new List<double>();
        for (var n = 1; n <= maxN; n++)
        {
            for (var s = 0; s <= n; s++)
            {
                var t = Statistic(n, s);
                if (double.IsFinite(t))
                {
                    values.Add(t);
                }
            }
        }

        int[]? best = null;
        var bestCrossing = -1.0;
        foreach (var c in values.Distinct())
        {
            var boundaries = Enumerable.Range(1, maxN).Select(n =>
            {
                var first = Enumerable.Range(0, n + 1).FirstOrDefault(s => Statistic(n, s) >= c - (1e-12 * Math.Abs(c)), -1);
                return first < 0 ? n + 1 : first;
            }).ToArray();
            var crossing = CrossingProbability(boundaries, p0);
            if (crossing <= alpha * (1 + 1e-12) && crossing > bestCrossing + 1e-15)
            {
                best = boundaries;
                bestCrossing = crossing;
            }
        }

        return (best ?? [.. Enumerable.Range(1, maxN).Select(n => n + 1)], Math.Max(bestCrossing, 0));
    }
}
