using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class BoundaryFamiliesTests
{
    private static StoppingBoundary Compute(BoundaryMethod method, string p0, string alpha, Looks looks, Func<BoundaryDesign, BoundaryDesign>? with = null)
    {
        var design = new BoundaryDesign { Method = method, P0 = decimal.Parse(p0), Alpha = decimal.Parse(alpha), Looks = looks };
        return BoundaryCalculator.Compute(with is null ? design : with(design));
    }

    [Fact]
    public void Registry_EveryMethodHasAFamily_WhoseNameParsesBack()
    {
        foreach (var method in Enum.GetValues<BoundaryMethod>())
        {
            Assert.Equal(method, BoundaryFamilies.Parse(method.Name()));
            Assert.Equal(method, BoundaryFamilies.Parse(method.Name().ToUpperInvariant()));
        }

        Assert.Equal(Enum.GetValues<BoundaryMethod>().Length, BoundaryFamilies.Names.Split(", ").Distinct().Count());
    }

    [Theory]
    // Shared ranges: each probability strictly inside (0, 1), docs/stopping-rules.md §2.
    [InlineData(BoundaryMethod.Pocock, "1.2", null, null, null, null, BoundaryField.P0, "1.2 must lie strictly between 0 and 1.")]
    [InlineData(BoundaryMethod.WaldSprt, "0.2", "0.4", null, null, 1.5, BoundaryField.Beta, "1.5 must lie strictly between 0 and 1.")]
    // SPRT, Wald SPRT and Chen–Chaloner test p0 against the alternative p1 (§2): required, and above p0.
    [InlineData(BoundaryMethod.TruncatedSprt, "0.2", null, null, null, null, BoundaryField.P1, "is required for the sprt family.")]
    [InlineData(BoundaryMethod.WaldSprt, "0.2", "0.1", null, null, null, BoundaryField.P1, "0.1 must be above p0 (0.2).")]
    // Wang–Tsiatis needs its shape Δ; Chen–Chaloner its ν; the uncalibrated Bayesian rule its fixed c.
    [InlineData(BoundaryMethod.WangTsiatis, "0.2", null, null, null, null, BoundaryField.Delta, "(Δ) is required for the Wang–Tsiatis family.")]
    [InlineData(BoundaryMethod.ChenChaloner, "0.2", "0.4", null, 1.0, null, BoundaryField.Nu, "must lie strictly between 0 and 1 for Chen–Chaloner.")]
    [InlineData(BoundaryMethod.BayesianThreshold, "0.2", null, null, null, null, BoundaryField.Threshold, "(c) must lie strictly between 0 and 1 for the uncalibrated Bayesian rule.")]
    // BOP2's p1 is the acceptable rate, below the unacceptable φ = p0 (Zhou, Lee and Yuan 2017).
    [InlineData(BoundaryMethod.Bop2, "0.3", "0.4", null, null, null, BoundaryField.P1, "0.4 (BOP2's acceptable rate) must be below p0 (0.3, the unacceptable rate φ).")]
    public void Problems_NameTheFieldAndSayWhatIsWrong(BoundaryMethod method, string p0, string? p1, double? delta, double? nu, double? beta, BoundaryField field, string message)
    {
        var design = new BoundaryDesign
        {
            Method = method, P0 = decimal.Parse(p0), Alpha = 0.1m, Looks = Looks.Continuous(20),
            P1 = p1 is null ? null : decimal.Parse(p1), Delta = delta, Nu = nu, Beta = beta,
        };

        Assert.Equal([new BoundaryProblem(field, message)], design.Problems());
    }

    [Fact]
    public void WaldSprt_SmallerBeta_RaisesTheAcceptanceLine()
    {
        var loose = Compute(BoundaryMethod.WaldSprt, "0.2", "0.05", Looks.Continuous(50), d => d with { P1 = 0.4m, Beta = 0.2 });
        var strict = Compute(BoundaryMethod.WaldSprt, "0.2", "0.05", Looks.Continuous(50), d => d with { P1 = 0.4m, Beta = 0.05 });

        // Wald 1947: the acceptance intercept −log((1 − α)/β)/(g1 + g2) falls as β falls, so acceptance needs fewer toxicities.
        Assert.True(strict.AcceptBoundaries![^1] < loose.AcceptBoundaries![^1]);
        Assert.Contains("β = 0.05", strict.ConstantDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void BetaBinomial_ReproducesStoppingruleReadmeExample()
    {
        // stoppingrule README: calc.rule.bin(ns=1:30, p0=0.20, alpha=0.10, type="BB", param=c(0.6,2.4)).
        var rule = Compute(BoundaryMethod.BetaBinomial, "0.20", "0.10", Looks.Continuous(30), d => d with { Prior = (0.6, 2.4) });

        Assert.Equal([2, 3, 3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11], rule.Boundaries);

        // docs/stopping-rules.md §5.4: the exact interval of equivalent constants is (0.96308269, 0.96319152].
        Assert.Equal(0.96308269, rule.ConstantLow, 8e-9);
        Assert.Equal(0.96319152, rule.ConstantHigh, 8e-9);

        // README: OC.rule.bin(rule, ps = seq(0.2, 0.4, 0.05)), printed to 8 and 7 significant digits.
        (double P, double Reject, double Events)[] expected =
        [
            (0.20, 0.09957367, 5.651197),
            (0.25, 0.23832301, 6.536293),
            (0.30, 0.43615256, 6.926712),
            (0.35, 0.64555222, 6.819377),
            (0.40, 0.81491087, 6.355803),
        ];
        foreach (var (p, reject, events) in expected)
        {
            var oc = rule.OperatingCharacteristicsAt(p);
            Assert.Equal(reject, oc.RejectProbability, 5e-9);
            Assert.Equal(events, oc.ExpectedToxicities, 5e-7);
        }
    }

    [Fact]
    public void ObrienFleming_FindsTheRuleStoppingruleMisses()
    {
        // §5.1: stoppingrule returns its bracket end (boundary 1 everywhere, actual α 0.0956) for p0 = 0.01, N = 10,
        // α = 0.05. The exact rule is [1,1,1,1,1,2,2,2,2,2] with α = 0.04994.
        var rule = Compute(BoundaryMethod.ObrienFleming, "0.01", "0.05", Looks.Continuous(10));

        Assert.Equal([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], rule.Boundaries);
        Assert.Equal(0.04994, Math.Round(rule.AchievedAlpha, 5), 1e-12);
    }

    [Theory]
    [InlineData(BoundaryMethod.Pocock)]
    [InlineData(BoundaryMethod.ObrienFleming)]
    [InlineData(BoundaryMethod.WangTsiatis)]
    [InlineData(BoundaryMethod.BetaBinomial)]
    [InlineData(BoundaryMethod.ChenChaloner)]
    [InlineData(BoundaryMethod.TruncatedSprt)]
    [InlineData(BoundaryMethod.MaxSprt)]
    public void Calibrate_SingleLook_DoesNotCrash(BoundaryMethod method)
    {
        // §5.2: stoppingrule fails on any N = 1 design. With p0 = 0.05 and α = 0.1, stopping on 1/1 has probability 0.05.
        var rule = Compute(method, "0.05", "0.10", Looks.Continuous(1), d => d with { Delta = 0.25, P1 = 0.3m, Nu = 0.5 });

        Assert.True(rule.Feasible);
        Assert.Equal([1], rule.Boundaries);
        Assert.Equal(0.05, rule.AchievedAlpha, 1e-15);
    }

    [Fact]
    public void MaxSprt_HandlesTheCaseStoppingruleCrashesOn_AndMatchesTheDocTable()
    {
        // §5.2: MaxSPRT fails in stoppingrule at p0 = 0.1, N = 20, α = 0.1.
        var crash = Compute(BoundaryMethod.MaxSprt, "0.1", "0.1", Looks.Continuous(20));
        Assert.True(crash.Feasible);
        Assert.True(crash.AchievedAlpha <= 0.1);

        // §7, treatment-related death, MaxSPRT: 1/1, 2/2–10, 3/11–23, 4/24–39, 5/40–57, 6/58–60.
        var death = Compute(BoundaryMethod.MaxSprt, "0.03", "0.10", Looks.Continuous(60));
        int[] expected = [.. Enumerable.Range(1, 60).Select(n => n switch { 1 => 1, <= 10 => 2, <= 23 => 3, <= 39 => 4, <= 57 => 5, _ => 6 })];
        Assert.Equal(expected, death.Boundaries);
    }

    [Fact]
    public void TruncatedSprt_BreaksTiesTheSameWayAtEveryLook()
    {
        // §3: with p1 = 1 − p0 the log-likelihood ratio is (2s − n) ln(q0/p0), so the rule must be 2S − n ≥ k for one k.
        var rule = Compute(BoundaryMethod.TruncatedSprt, "0.3", "0.1", Looks.Continuous(40), d => d with { P1 = 0.7m });

        int Expected(int n, int k) => Math.Min(n + 1, Math.Max(0, (int)Math.Ceiling((k + n) / 2.0)));
        var last = (2 * rule.Boundaries[^1]) - 40;
        int[] candidates = [last - 1, last];

        Assert.Contains(candidates, k => Enumerable.Range(1, 40).All(n => rule.Boundaries[n - 1] == Expected(n, k)));
    }

    [Theory]
    [InlineData(BoundaryMethod.Pocock, "0.2", "0.1")]
    [InlineData(BoundaryMethod.ObrienFleming, "0.2", "0.1")]
    [InlineData(BoundaryMethod.WangTsiatis, "0.15", "0.05")]
    [InlineData(BoundaryMethod.BetaBinomial, "0.1", "0.1")]
    [InlineData(BoundaryMethod.ChenChaloner, "0.1", "0.1")]
    [InlineData(BoundaryMethod.TruncatedSprt, "0.2", "0.05")]
    [InlineData(BoundaryMethod.MaxSprt, "0.2", "0.1")]
    // §5.2: stoppingrule's Pocock and BB fail with small p0 (uniroot end-point sign errors).
    [InlineData(BoundaryMethod.Pocock, "0.002", "0.05")]
    [InlineData(BoundaryMethod.BetaBinomial, "0.002", "0.05")]
    public void Calibrate_AgreesWithBruteForceOverEveryConstantAndEveryPath(BoundaryMethod method, string p0, string alpha)
    {
        // Independent check for N = 10: every boundary vector any constant can produce, its crossing probability by
        // enumerating all 2^10 paths, and the least conservative vector that meets α.
        var looks = Looks.Continuous(10);
        var rule = Compute(method, p0, alpha, looks, d => d with { Delta = 0.3, P1 = 0.5m, Nu = 0.6, Prior = (0.5, 1.5) });
        var p = double.Parse(p0);

        var (boundaries, crossing) = BruteForce.Calibrate(method, double.Parse(p0), double.Parse(alpha), 10, delta: 0.3, p1: 0.5, nu: 0.6, prior: (0.5, 1.5));

        Assert.Equal(boundaries, rule.Boundaries);
        Assert.Equal(crossing, rule.AchievedAlpha, 1e-12);
    }

    [Fact]
    public void BayesianThreshold_ShowsItsFalseStopRate()
    {
        // §6: "stop if P(p > 0.2 | data) > 0.90", prior Beta(0.2, 0.8), N = 40, stops with probability 0.30 at p = 0.20.
        var rule = Compute(BoundaryMethod.BayesianThreshold, "0.20", "0.10", Looks.Continuous(40), d => d with { Prior = (0.2, 0.8), Threshold = 0.90 });

        Assert.Equal(0.30, Math.Round(rule.AchievedAlpha, 2), 1e-12);
        Assert.Contains("α is not controlled", rule.ConstantDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Bop2_ReproducesTheDocExample()
    {
        // §6: looks 10/20/30/40, φ = 0.30, acceptable 0.15: λ = 0.87, γ = 0.4; stop if ≥ 4/10, 6/20, 8/30, 9/40;
        // P(no stop | 0.30) = 0.0965; P(no stop | 0.15) = 0.8225.
        var rule = Compute(BoundaryMethod.Bop2, "0.30", "0.10", Looks.Of([10, 20, 30, 40]), d => d with { P1 = 0.15m });

        Assert.Equal([4, 6, 8, 9], rule.Boundaries);
        Assert.Equal(0.0965, Math.Round(1 - rule.OperatingCharacteristicsAt(0.30).RejectProbability, 4), 1e-12);
        Assert.Equal(0.8225, Math.Round(1 - rule.OperatingCharacteristicsAt(0.15).RejectProbability, 4), 1e-12);
    }

    [Fact]
    public void WaldSprt_ExactOperatingCharacteristicsIncludeAcceptance()
    {
        var rule = Compute(BoundaryMethod.WaldSprt, "0.2", "0.05", Looks.Continuous(50), d => d with { P1 = 0.4m, Beta = 0.2 });

        var atP0 = rule.OperatingCharacteristicsAt(0.2);
        var atP1 = rule.OperatingCharacteristicsAt(0.4);

        Assert.NotNull(rule.AcceptBoundaries);
        Assert.True(atP0.RejectProbability < 0.06);
        Assert.True(atP1.RejectProbability > 0.75);
        Assert.True(atP0.AcceptProbability > 0.8);
        Assert.True(atP0.ExpectedPatients < 50);
    }

    [Fact]
    public void Compute_InfeasibleDesign_SaysSoInsteadOfReturningABracketEnd()
    {
        var rule = Compute(BoundaryMethod.ObrienFleming, "0.6", "0.05", Looks.Continuous(2));

        Assert.False(rule.Feasible);
        Assert.Equal([2, 3], rule.Boundaries);
    }
}
