using System.Numerics;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The crossing probability R(p0) in exact rational arithmetic, with p0 taken as the decimal the statistician typed.
/// </summary>
/// <remarks>
/// With p0 = a/D, f_k(s)·D^{n_k} is an integer, so R·D^N is an integer and the comparison with α is exact.
/// Used to settle ties that doubles cannot (p0 = 0.2, N = 2, α = 0.04: P(S_2 = 2) is exactly 0.04, but 0.2·0.2 in
/// IEEE doubles is 0.04000000000000001). docs/stopping-rules.md §3.
/// </remarks>
internal static class ExactCrossingProbability
{
    /// <summary>Whether R(p0) ≤ α exactly.</summary>
    public static bool IsAtMost(Looks looks, IReadOnlyList<int> boundaries, decimal p0, decimal alpha)
    {
        var (numerator, denominator) = Compute(looks, boundaries, p0);
        var (alphaNumerator, alphaDenominator) = ToFraction(alpha);
        return numerator * alphaDenominator <= alphaNumerator * denominator;
    }

    public static (BigInteger Numerator, BigInteger Denominator) Compute(Looks looks, IReadOnlyList<int> boundaries, decimal p0)
    {
        var (a, d) = ToFraction(p0);
        var q = d - a;
        var n = looks.MaxPatients;
        BigInteger[] f = [BigInteger.One];
        var previous = 0;
        var crossing = BigInteger.Zero;
        for (var k = 0; k < looks.Values.Count; k++)
        {
            var look = looks.Values[k];
            var m = look - previous;
            var weights = IncrementWeights(m, a, q);
            var next = new BigInteger[look + 1];
            for (var j = 0; j < f.Length; j++)
            {
                if (f[j].IsZero)
                {
                    continue;
                }

                for (var i = 0; i <= m; i++)
                {
                    next[j + i] += f[j] * weights[i];
                }
            }

            var keep = Math.Min(boundaries[k], look + 1);
            var stopped = BigInteger.Zero;
            for (var s = keep; s <= look; s++)
            {
                stopped += next[s];
            }

            crossing += stopped * BigInteger.Pow(d, n - look);
            f = next[..keep];
            previous = look;
        }

        return (crossing, BigInteger.Pow(d, n));
    }

    /// <summary>C(m, i) a^i q^(m−i) for i = 0..m.</summary>
    private static BigInteger[] IncrementWeights(int m, BigInteger a, BigInteger q)
    {
        var weights = new BigInteger[m + 1];
        var choose = BigInteger.One;
        for (var i = 0; i <= m; i++)
        {
            weights[i] = choose * BigInteger.Pow(a, i) * BigInteger.Pow(q, m - i);
            choose = choose * (m - i) / (i + 1);
        }

        return weights;
    }

    private static (BigInteger Numerator, BigInteger Denominator) ToFraction(decimal value)
    {
        var scale = value.Scale;
        var denominator = BigInteger.Pow(10, scale);
        var numerator = new BigInteger(value * (decimal)Math.Pow(10, scale));
        return (numerator, denominator);
    }
}
