namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// Calibrates any family whose statistic T_n(s) rises with s and stops when T ≥ c (docs/stopping-rules.md §3).
/// </summary>
/// <remarks>
/// The crossing probability α(c) is a non-increasing step function of c that changes only at attainable values of T,
/// so the search is a binary search over the sorted attainable values, never a bisection between brackets: it cannot
/// miss the answer. Values within a relative 1e-12 are one value (exact ties computed two ways); crossing probabilities
/// within 1e-9 of α are settled in exact rational arithmetic. Attainable values whose own look already has a tail
/// probability above α cannot belong to a feasible rule (R ≥ P(S_n ≥ b_n)) and are left out of the search.
/// </remarks>
internal static class ExactCalibration
{
    public const double Tolerance = 1e-12;

    /// <param name="statistic">T_n(s); <see cref="double.NegativeInfinity"/> where the family cannot stop.</param>
    public static Result Calibrate(Looks looks, decimal p0, decimal alpha, Func<int, int, double> statistic)
    {
        var rate = (double)p0;
        var tails = UpperTails(looks, rate);
        var k = looks.Values.Count;
        var first = new int[k];
        var values = new double[k][];
        var candidates = new List<double>();
        for (var i = 0; i < k; i++)
        {
            var n = looks.Values[i];

            // First s whose tail is at most α; one guard value below it marks every c that is infeasible at this look.
            var smallest = 1;
            while (smallest <= n && tails[i][smallest] > (double)alpha * (1 + 1e-9))
            {
                smallest++;
            }

            first[i] = Math.Max(0, smallest - 1);
            values[i] = new double[n - first[i] + 1];
            for (var s = first[i]; s <= n; s++)
            {
                var t = statistic(n, s);
                values[i][s - first[i]] = t;
                if (s >= smallest && double.IsFinite(t))
                {
                    candidates.Add(t);
                }
            }
        }

        var sorted = Distinct(candidates);
        if (sorted.Length == 0)
        {
            return Infeasible(looks);
        }

        bool Meets(int index, out int[] boundaries, out double crossing)
        {
            boundaries = BoundariesAt(looks, first, values, sorted[index], out var guardHit);
            crossing = 1;
            if (guardHit)
            {
                return false;
            }

            crossing = OperatingCharacteristics.Compute(looks, boundaries, rate).RejectProbability;
            if (Math.Abs(crossing - (double)alpha) <= 1e-9 * (double)alpha)
            {
                return ExactCrossingProbability.IsAtMost(looks, boundaries, p0, alpha);
            }

            return crossing <= (double)alpha;
        }

        if (!Meets(sorted.Length - 1, out _, out _))
        {
            return Infeasible(looks);
        }

        // Smallest candidate index that meets α.
        int low = 0, high = sorted.Length - 1;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (Meets(mid, out _, out _))
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        Meets(low, out var chosen, out var achieved);

        // The next attainable value below the chosen constant, over all looks (pruned ones included): T_n(b_n − 1).
        var below = double.NegativeInfinity;
        for (var i = 0; i < k; i++)
        {
            var s = chosen[i] - 1;
            if (s >= first[i])
            {
                below = Math.Max(below, values[i][s - first[i]]);
            }
        }

        return new Result(chosen, true, achieved, below, sorted[low]);
    }

    /// <summary>b_n(c) = min{s : T_n(s) ≥ c}, with the tie tolerance; n + 1 when no s reaches c.</summary>
    public static int[] BoundariesAt(Looks looks, IReadOnlyList<int> first, double[][] values, double c, out bool guardHit)
    {
        guardHit = false;
        var boundaries = new int[looks.Values.Count];
        for (var i = 0; i < boundaries.Length; i++)
        {
            var n = looks.Values[i];
            var b = n + 1;
            for (var s = first[i]; s <= n; s++)
            {
                if (AtLeast(values[i][s - first[i]], c))
                {
                    b = s;
                    break;
                }
            }

            if (b == first[i] && first[i] > 0)
            {
                guardHit = true;
            }

            boundaries[i] = b;
        }

        return boundaries;
    }

    public static bool AtLeast(double value, double c) =>
        value >= c - (Tolerance * Math.Max(Math.Abs(c), 1e-300));

    /// <summary>P(Bin(n_k, p) ≥ s) for each look, s = 0..n_k + 1.</summary>
    public static double[][] UpperTails(Looks looks, double rate)
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

    private static double[] Distinct(List<double> values)
    {
        values.Sort();
        var distinct = new List<double>(values.Count);
        foreach (var value in values)
        {
            if (distinct.Count == 0 || !AtLeast(distinct[^1], value))
            {
                distinct.Add(value);
            }
        }

        return [.. distinct];
    }

    private static Result Infeasible(Looks looks) =>
        new([.. looks.Values.Select(n => n + 1)], false, 0, double.NaN, double.NaN);

    /// <param name="Low">c_{j−1}: every constant in (Low, High] gives the same boundaries.</param>
    public sealed record Result(int[] Boundaries, bool Feasible, double AchievedAlpha, double Low, double High);
}
