using MathNet.Numerics;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The two-arm comparative rule: stop when P(p_combo − p_mono &gt; δ | both arms) &gt; c, with independent Beta
/// posteriors (docs/stopping-rules.md §2, "our extension"). Its operating characteristics come from an exact 2-D
/// recursion over (y_combo, y_mono).
/// </summary>
public static class ComparativeRule
{
    /// <summary>
    /// P(X &gt; Y + δ) for X ~ Beta(a + y_c, b + n_c − y_c) (combination) and Y ~ Beta(a + y_m, b + n_m − y_m) (monotherapy).
    /// </summary>
    /// <remarks>
    /// P = ∫ f_Y(y) S_X(y + δ) dy with breakpoints at max(0, −δ) and min(1, 1 − δ). With integer Beta parameters S_X is a
    /// polynomial (S_X(t) = Σ_{j&lt;a_X} C(m, j) t^j (1 − t)^{m−j}, m = a_X + b_X − 1) and so is the integrand on each
    /// piece, so a Gauss–Legendre rule of sufficient order gives the exact value up to rounding. Other priors use
    /// double-exponential quadrature, which copes with the endpoint singularities of f_Y.
    /// </remarks>
    public static double Probability(int yCombo, int nCombo, int yMono, int nMono, double delta, (double A, double B) prior)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(yCombo);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(yCombo, nCombo);
        ArgumentOutOfRangeException.ThrowIfNegative(yMono);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(yMono, nMono);
        if (delta is <= -1 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must lie strictly between −1 and 1.");
        }

        var ax = prior.A + yCombo;
        var bx = prior.B + nCombo - yCombo;
        var ay = prior.A + yMono;
        var by = prior.B + nMono - yMono;
        double SurvivalX(double t) => t <= 0 ? 1 : t >= 1 ? 0 : 1 - SpecialFunctions.BetaRegularized(ax, bx, t);
        var logBetaY = SpecialFunctions.BetaLn(ay, by);
        double DensityY(double y) => y <= 0 || y >= 1 ? 0 : Math.Exp(((ay - 1) * Math.Log(y)) + ((by - 1) * Math.Log(1 - y)) - logBetaY);

        var lower = Math.Max(0, -delta);
        var upper = Math.Min(1, 1 - delta);

        // Below max(0, −δ), S_X(y + δ) = 1: that piece is F_Y(−δ).
        var below = lower > 0 ? SpecialFunctions.BetaRegularized(ay, by, lower) : 0;
        double middle;
        if (IsInteger(ax) && IsInteger(bx) && IsInteger(ay) && IsInteger(by))
        {
            var degree = (int)(ay - 1 + by - 1 + ax + bx - 1);
            middle = GaussLegendre.Integrate(y => DensityY(y) * SurvivalX(y + delta), lower, upper, (degree / 2) + 2);
        }
        else
        {
            middle = Integrate.DoubleExponential(y => DensityY(y) * SurvivalX(y + delta), lower, upper, 1e-14);
        }

        return Math.Clamp(below + middle, 0, 1);
    }

    /// <summary>The closed form for integer parameters and δ = 0, used as an independent check.</summary>
    public static double ProbabilityClosedForm(int yCombo, int nCombo, int yMono, int nMono, (int A, int B) prior)
    {
        var ac = prior.A + yCombo;
        var bc = prior.B + nCombo - yCombo;
        var am = prior.A + yMono;
        var bm = prior.B + nMono - yMono;

        // P(X > Y) = Σ_{i=0}^{a_c−1} B(a_m + i, b_c + b_m) / ((b_c + i) B(1 + i, b_c) B(a_m, b_m)) (docs/stopping-rules.md §2).
        var sum = 0.0;
        for (var i = 0; i < ac; i++)
        {
            sum += Math.Exp(SpecialFunctions.BetaLn(am + i, bc + bm) - Math.Log(bc + i) - SpecialFunctions.BetaLn(1 + i, bc) - SpecialFunctions.BetaLn(am, bm));
        }

        return sum;
    }

    /// <summary>
    /// P(stop by N) when both arms accrue in lock-step with a look after every pair of patients, by exact recursion over
    /// (y_combo, y_mono); <paramref name="minimumPatients"/> delays the first look.
    /// </summary>
    public static double StopProbability(int patientsPerArm, double pCombo, double pMono, decimal delta, decimal threshold, (double A, double B) prior, int minimumPatients = 1)
    {
        // minimal y_c that stops, for each n and y_m (the probability rises with y_c).
        var minimal = new int[patientsPerArm + 1][];
        for (var n = 1; n <= patientsPerArm; n++)
        {
            minimal[n] = new int[n + 1];
            for (var ym = 0; ym <= n; ym++)
            {
                int low = 0, high = n + 1;
                while (low < high)
                {
                    var mid = (low + high) / 2;
                    if (Exceeds(mid, n, ym, n, delta, threshold, prior))
                    {
                        high = mid;
                    }
                    else
                    {
                        low = mid + 1;
                    }
                }

                minimal[n][ym] = low;
            }
        }

        var state = new double[1, 1];
        state[0, 0] = 1;
        var stopped = 0.0;
        for (var n = 1; n <= patientsPerArm; n++)
        {
            var next = new double[n + 1, n + 1];
            for (var yc = 0; yc < n; yc++)
            {
                for (var ym = 0; ym < n; ym++)
                {
                    var f = state[yc, ym];
                    if (f == 0)
                    {
                        continue;
                    }

                    next[yc, ym] += f * (1 - pCombo) * (1 - pMono);
                    next[yc + 1, ym] += f * pCombo * (1 - pMono);
                    next[yc, ym + 1] += f * (1 - pCombo) * pMono;
                    next[yc + 1, ym + 1] += f * pCombo * pMono;
                }
            }

            if (n >= minimumPatients)
            {
                for (var ym = 0; ym <= n; ym++)
                {
                    for (var yc = minimal[n][ym]; yc <= n; yc++)
                    {
                        stopped += next[yc, ym];
                        next[yc, ym] = 0;
                    }
                }
            }

            state = next;
        }

        return stopped;
    }

    /// <summary>
    /// Whether the posterior probability is strictly above the threshold. Within 1e-9 of it, and with integer Beta
    /// parameters, the comparison is made in exact rational arithmetic: P can equal c exactly (9/10 at n = 7, 2/7 vs 0/7).
    /// </summary>
    public static bool Exceeds(int yCombo, int nCombo, int yMono, int nMono, decimal delta, decimal threshold, (double A, double B) prior)
    {
        var p = Probability(yCombo, nCombo, yMono, nMono, (double)delta, prior);
        if (Math.Abs(p - (double)threshold) > 1e-9 || !IsInteger(prior.A) || !IsInteger(prior.B))
        {
            return p > (double)threshold;
        }

        var (a, b) = ((int)Math.Round(prior.A), (int)Math.Round(prior.B));
        var exact = ExactBetaComparison.Probability(a + yCombo, b + nCombo - yCombo, a + yMono, b + nMono - yMono, delta);
        return exact > Rational.From(threshold);
    }

    private static bool IsInteger(double x) => Math.Abs(x - Math.Round(x)) < 1e-12;
}
