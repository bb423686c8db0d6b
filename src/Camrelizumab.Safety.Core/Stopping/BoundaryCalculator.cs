using System.Globalization;
using MathNet.Numerics;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Computes the boundary of any <see cref="BoundaryDesign"/>, following docs/stopping-rules.md §2–§6.</summary>
public static class BoundaryCalculator
{
    public static string ShortName(BoundaryMethod method) => method switch
    {
        BoundaryMethod.Pocock => "pocock",
        BoundaryMethod.ObrienFleming => "obf",
        BoundaryMethod.WangTsiatis => "wt",
        BoundaryMethod.BetaBinomial => "bb",
        BoundaryMethod.ChenChaloner => "cc",
        BoundaryMethod.TruncatedSprt => "sprt",
        BoundaryMethod.MaxSprt => "maxsprt",
        BoundaryMethod.WaldSprt => "wald",
        BoundaryMethod.BayesianThreshold => "bayes",
        BoundaryMethod.Bop2 => "bop2",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static BoundaryMethod Parse(string name) => name.ToLowerInvariant() switch
    {
        "pocock" => BoundaryMethod.Pocock,
        "obf" => BoundaryMethod.ObrienFleming,
        "wt" => BoundaryMethod.WangTsiatis,
        "bb" => BoundaryMethod.BetaBinomial,
        "cc" => BoundaryMethod.ChenChaloner,
        "sprt" => BoundaryMethod.TruncatedSprt,
        "maxsprt" => BoundaryMethod.MaxSprt,
        "wald" => BoundaryMethod.WaldSprt,
        "bayes" => BoundaryMethod.BayesianThreshold,
        "bop2" => BoundaryMethod.Bop2,
        _ => throw new ArgumentException($"Unknown method '{name}'; use pocock, obf, wt, bb, cc, sprt, maxsprt, wald, bayes or bop2.", nameof(name)),
    };

    public static StoppingBoundary Compute(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var problems = design.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(design));
        }

        return design.Method switch
        {
            BoundaryMethod.WaldSprt => Wald(design),
            BoundaryMethod.BayesianThreshold => Bayesian(design),
            BoundaryMethod.Bop2 => Bop2(design),
            _ => Calibrated(design),
        };
    }

    private static StoppingBoundary Calibrated(BoundaryDesign d)
    {
        var p0 = (double)d.P0;
        var q0 = 1 - p0;
        var maxN = d.Looks.MaxPatients;
        var (a, b) = d.Prior ?? (1.0, 1.0);

        // Each statistic rises with s. Where a family's natural statistic tends to 1, its complement is used so that
        // distinct values stay distinct in double precision (posterior tail I_{p0}(a+s, b+n−s) rather than 1 minus it).
        Func<int, int, double> statistic = d.Method switch
        {
            BoundaryMethod.Pocock => (n, s) => -Tail(n, s, p0),
            BoundaryMethod.ObrienFleming => (n, s) => Excess(n, s, d.P0) / Math.Sqrt(maxN * p0 * q0),
            BoundaryMethod.WangTsiatis => (n, s) => Excess(n, s, d.P0) / (Math.Pow((double)n / maxN, d.Delta!.Value - 0.5) * Math.Sqrt(n * p0 * q0)),
            BoundaryMethod.BetaBinomial => (n, s) => -SpecialFunctions.BetaRegularized(a + s, b + n - s, p0),
            BoundaryMethod.ChenChaloner => (n, s) =>
                1 - SpecialFunctions.BetaRegularized(a + s, b + n - s, (double)d.P1!.Value) > d.Nu!.Value
                    ? -SpecialFunctions.BetaRegularized(a + s, b + n - s, p0)
                    : double.NegativeInfinity,
            BoundaryMethod.TruncatedSprt => SprtStatistic((double)d.P1!.Value, p0),
            BoundaryMethod.MaxSprt => (n, s) => MaxSprtStatistic(n, s, d.P0),
            _ => throw new InvalidOperationException($"{d.Method} is not calibrated."),
        };

        var result = ExactCalibration.Calibrate(d.Looks, d.P0, d.Alpha, statistic);
        var name = ShortName(d.Method);
        if (!result.Feasible)
        {
            return new StoppingBoundary(name, d.P0, d.Alpha, d.Looks, result.Boundaries, false, 0, double.NaN, double.NaN)
            {
                ConstantDescription = "no constant keeps the crossing probability at or below α; the rule can never stop",
            };
        }

        var (low, high, text) = d.Method switch
        {
            // Stop iff P(Bin(n, p0) ≥ S) ≤ π: levels in [π_lo, π_hi) give the same rule.
            BoundaryMethod.Pocock => (-result.High, Math.Min(1, -result.Low), F($"nominal level π in [{-result.High:G10}, {Math.Min(1, -result.Low):G10})")),
            BoundaryMethod.BetaBinomial => (1 + result.Low, 1 + result.High, F($"c in ({1 + result.Low:G10}, {1 + result.High:G10}]")),
            BoundaryMethod.ChenChaloner => (1 + result.Low, 1 + result.High, F($"c in ({1 + result.Low:G10}, {1 + result.High:G10}], with ν = {d.Nu}")),
            _ => (result.Low, result.High, F($"c in ({result.Low:G10}, {result.High:G10}]")),
        };
        return new StoppingBoundary(name, d.P0, d.Alpha, d.Looks, result.Boundaries, true, result.AchievedAlpha, low, high)
        {
            ConstantDescription = text,
        };
    }

    /// <summary>s − n·p0, exact in decimal so that ties (p0 = 0.2: 1 − 5·0.2 = 2 − 10·0.2) stay ties.</summary>
    private static double Excess(int n, int s, decimal p0) => (double)(s - (n * p0));

    /// <summary>P(Bin(n, p0) ≥ s) = I_{p0}(s, n − s + 1), computed directly so small tails keep their relative precision.</summary>
    private static double Tail(int n, int s, double p0) => s <= 0 ? 1 : SpecialFunctions.BetaRegularized(s, n - s + 1, p0);

    private static Func<int, int, double> SprtStatistic(double p1, double p0)
    {
        // s log(p1/p0) + (n − s) log(q1/q0) = s log(p1 q0 / (p0 q1)) − n log(q0/q1).
        var slope = Math.Log(p1 * (1 - p0) / (p0 * (1 - p1)));
        var drift = Math.Log((1 - p0) / (1 - p1));
        return (n, s) => (s * slope) - (n * drift);
    }

    /// <summary>Kulldorff's one-sided binomial MaxSPRT log-likelihood ratio; stopping is impossible while S ≤ n p0.</summary>
    private static double MaxSprtStatistic(int n, int s, decimal p0)
    {
        if (s - (n * p0) <= 0)
        {
            return double.NegativeInfinity;
        }

        var p = (double)p0;
        var llr = s * Math.Log(s / (n * p));
        if (s < n)
        {
            llr += (n - s) * Math.Log((n - s) / (n * (1 - p)));
        }

        return llr;
    }

    private static StoppingBoundary Wald(BoundaryDesign d)
    {
        var p0 = (double)d.P0;
        var p1 = (double)d.P1!.Value;
        var alpha = (double)d.Alpha;
        var beta = d.Beta ?? 0.2;
        var g1 = Math.Log(p1 / p0);
        var g2 = Math.Log((1 - p0) / (1 - p1));
        var slope = g2 / (g1 + g2);
        var h1 = Math.Log((1 - beta) / alpha) / (g1 + g2);
        var h0 = Math.Log((1 - alpha) / beta) / (g1 + g2);
        var upper = new int[d.Looks.Values.Count];
        var lower = new int[d.Looks.Values.Count];
        for (var i = 0; i < upper.Length; i++)
        {
            var n = d.Looks.Values[i];
            upper[i] = Math.Min(n + 1, CeilingWithTolerance(h1 + (slope * n)));
            lower[i] = Math.Max(-1, FloorWithTolerance(-h0 + (slope * n)));
        }

        var achieved = OperatingCharacteristics.Compute(d.Looks, upper, p0, lower).RejectProbability;
        return new StoppingBoundary("wald", d.P0, d.Alpha, d.Looks, upper, upper.Any(b => b <= d.Looks.MaxPatients), achieved, h1, h0)
        {
            AcceptBoundaries = lower,
            ConstantDescription = F($"Wald thresholds: reject if S ≥ {h1:G6} + {slope:G6}·n, accept if S ≤ −{h0:G6} + {slope:G6}·n (α = {alpha}, β = {beta}); truncated at N, exact OC"),
        };
    }

    private static StoppingBoundary Bayesian(BoundaryDesign d)
    {
        var (a, b) = d.Prior ?? (1.0, 1.0);
        var c = d.Threshold!.Value;
        var boundaries = d.Looks.Values.Select(n => FirstStrictlyAbove(n, s => 1 - SpecialFunctions.BetaRegularized(a + s, b + n - s, (double)d.P0), c)).ToArray();
        var achieved = OperatingCharacteristics.Compute(d.Looks, boundaries, (double)d.P0).RejectProbability;
        return new StoppingBoundary("bayes", d.P0, d.Alpha, d.Looks, boundaries, boundaries.Any(x => x <= d.Looks.MaxPatients), achieved, c, c)
        {
            ConstantDescription = F($"uncalibrated: stop if P(p > {d.P0} | data) > {c}, prior Beta({a}, {b}); false-stop rate at p0 = {achieved:G6} (α is not controlled)"),
        };
    }

    /// <summary>
    /// BOP2-type toxicity rule: grid λ ∈ {0.50, 0.51, …, 0.99}, γ ∈ {0, 0.1, …, 3}; keep the designs whose P(no stop) at
    /// the unacceptable rate φ (= p0) is at most α, and choose the one with the highest P(no stop) at the acceptable rate
    /// p1 (ties: the smallest λ, then the smallest γ). Exact OC replaces BOP2's simulation.
    /// </summary>
    private static StoppingBoundary Bop2(BoundaryDesign d)
    {
        var phi = (double)d.P0;
        var acceptable = (double)(d.P1 ?? d.P0 / 2);
        var maxN = d.Looks.MaxPatients;
        (double Lambda, double Gamma, int[] Boundaries, double NoStopAtPhi, double NoStopAtAcceptable)? best = null;
        var seen = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        for (var li = 50; li <= 99; li++)
        {
            for (var gi = 0; gi <= 30; gi++)
            {
                var lambda = li / 100.0;
                var gamma = gi / 10.0;
                var boundaries = d.Looks.Values.Select(n =>
                {
                    var cutoff = 1 - (lambda * Math.Pow((double)n / maxN, gamma));
                    return FirstStrictlyAbove(n, s => 1 - SpecialFunctions.BetaRegularized(phi + s, 1 - phi + n - s, phi), cutoff);
                }).ToArray();
                var key = string.Join(',', boundaries);
                if (!seen.TryGetValue(key, out var oc))
                {
                    oc = (1 - OperatingCharacteristics.Compute(d.Looks, boundaries, phi).RejectProbability,
                          1 - OperatingCharacteristics.Compute(d.Looks, boundaries, acceptable).RejectProbability);
                    seen[key] = oc;
                }

                if (oc.Item1 <= (double)d.Alpha * (1 + 1e-12) && (best is null || oc.Item2 > best.Value.NoStopAtAcceptable * (1 + 1e-12)))
                {
                    best = (lambda, gamma, boundaries, oc.Item1, oc.Item2);
                }
            }
        }

        if (best is not { } chosen)
        {
            return new StoppingBoundary("bop2", d.P0, d.Alpha, d.Looks, [.. d.Looks.Values.Select(n => n + 1)], false, 0, double.NaN, double.NaN)
            {
                ConstantDescription = "no (λ, γ) on the grid keeps P(no stop) at φ at or below α",
            };
        }

        return new StoppingBoundary("bop2", d.P0, d.Alpha, d.Looks, chosen.Boundaries, true, 1 - chosen.NoStopAtPhi, chosen.Lambda, chosen.Gamma)
        {
            ConstantDescription = F($"λ = {chosen.Lambda}, γ = {chosen.Gamma}: P(no stop | {phi}) = {chosen.NoStopAtPhi:G6}, P(no stop | {acceptable}) = {chosen.NoStopAtAcceptable:G6}"),
        };
    }

    private static int FirstStrictlyAbove(int n, Func<int, double> probability, double cutoff)
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

    private static int CeilingWithTolerance(double x)
    {
        var rounded = Math.Round(x);
        return Math.Abs(x - rounded) <= 1e-9 * Math.Max(1, Math.Abs(x)) ? (int)rounded : (int)Math.Ceiling(x);
    }

    private static int FloorWithTolerance(double x)
    {
        var rounded = Math.Round(x);
        return Math.Abs(x - rounded) <= 1e-9 * Math.Max(1, Math.Abs(x)) ? (int)rounded : (int)Math.Floor(x);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
