namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The Pocock-type boundary of Ivanova, Qaqish and Schell (Biometrics 2005;61:540-5): one nominal level π at every look,
/// b_n = min{s : P(Bin(n, p0) ≥ s) ≤ π}, with π the largest level whose crossing probability is at most α.
/// </summary>
/// <remarks>
/// Calibrated exactly (docs/stopping-rules.md §3): the crossing probability is a step function of π that changes only at
/// attainable tail probabilities, so the search runs over those values, never by bisection between brackets. Ties are
/// resolved with a relative tolerance of 1e-12 and, near α, by exact rational arithmetic. α is met when R(p0) ≤ α.
/// </remarks>
public static class PocockBoundary
{
    private const double Tolerance = 1e-12;

    public static StoppingBoundary Calibrate(decimal p0, decimal alpha, Looks looks)
    {
        ArgumentNullException.ThrowIfNull(looks);
        if (p0 is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p0), p0, "p0 must lie strictly between 0 and 1.");
        }

        if (alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie strictly between 0 and 1.");
        }

        var rate = (double)p0;
        var tails = TailsAtLooks(looks, rate);
        var candidates = DistinctLevels(tails);

        bool Meets(int index, out int[] boundaries, out double crossing)
        {
            boundaries = BoundariesAt(tails, candidates[index]);
            crossing = OperatingCharacteristics.Compute(looks, boundaries, rate).RejectProbability;
            if (Math.Abs(crossing - (double)alpha) <= 1e-9 * (double)alpha)
            {
                return ExactCrossingProbability.IsAtMost(looks, boundaries, p0, alpha);
            }

            return crossing <= (double)alpha;
        }

        if (!Meets(0, out _, out _))
        {
            int[] none = [.. looks.Values.Select(n => n + 1)];
            return new StoppingBoundary("pocock", p0, alpha, looks, none, false, 0, 0, candidates[0]);
        }

        // Largest candidate index that meets α; the crossing probability never falls as the level rises.
        int low = 0, high = candidates.Length - 1;
        while (low < high)
        {
            var mid = low + ((high - low + 1) / 2);
            if (Meets(mid, out _, out _))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        Meets(low, out var chosen, out var achieved);
        var upper = low + 1 < candidates.Length ? candidates[low + 1] : 1.0;
        return new StoppingBoundary("pocock", p0, alpha, looks, chosen, true, achieved, candidates[low], upper);
    }

    /// <summary>P(Bin(n_k, p0) ≥ s) for each look, s = 0..n_k + 1.</summary>
    private static double[][] TailsAtLooks(Looks looks, double rate)
    {
        var result = new double[looks.Values.Count][];
        var q = 1 - rate;
        double[] row = [1.0];
        var n = 0;
        for (var k = 0; k < looks.Values.Count; k++)
        {
            while (n < looks.Values[k])
            {
                n++;
                var next = new double[n + 1];
                next[n] = row[n - 1] * rate;
                for (var s = n - 1; s >= 1; s--)
                {
                    next[s] = (row[s] * q) + (row[s - 1] * rate);
                }

                next[0] = row[0] * q;
                row = next;
            }

            result[k] = Binomial.UpperTails(row);
        }

        return result;
    }

    private static double[] DistinctLevels(double[][] tails)
    {
        var all = new List<double>();
        foreach (var look in tails)
        {
            for (var s = 1; s < look.Length - 1; s++)
            {
                if (look[s] > 0)
                {
                    all.Add(look[s]);
                }
            }
        }

        all.Sort();
        var distinct = new List<double>(all.Count);
        foreach (var value in all)
        {
            if (distinct.Count == 0 || value > distinct[^1] * (1 + Tolerance))
            {
                distinct.Add(value);
            }
        }

        return [.. distinct];
    }

    private static int[] BoundariesAt(double[][] tails, double level)
    {
        var limit = level * (1 + Tolerance);
        var boundaries = new int[tails.Length];
        for (var k = 0; k < tails.Length; k++)
        {
            var n = tails[k].Length - 2;
            var b = n + 1;
            for (var s = 1; s <= n; s++)
            {
                if (tails[k][s] <= limit)
                {
                    b = s;
                    break;
                }
            }

            boundaries[k] = b;
        }

        return boundaries;
    }
}
