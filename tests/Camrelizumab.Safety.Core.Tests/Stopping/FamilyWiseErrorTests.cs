using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class FamilyWiseErrorTests
{
    [Fact]
    public void Compute_IndependentEndpoints_EqualsProductFormula()
    {
        // docs/stopping-rules.md §7: two endpoints at α = 0.05 each, N = 40: 0.0962 under independence.
        var a = PocockBoundary.Calibrate(0.20m, 0.05m, Looks.Continuous(40));
        var b = PocockBoundary.Calibrate(0.05m, 0.05m, Looks.Continuous(40));

        var fwer = FamilyWiseError.Compute([a, b], [0.20, 0.05], [-1, -1]);

        Assert.Equal(1 - ((1 - a.AchievedAlpha) * (1 - b.AchievedAlpha)), fwer, 1e-12);
        Assert.Equal(0.0962, Math.Round(fwer, 4), 1e-12);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void Compute_AgreesWithBruteForceOverAllJointPaths(int parent)
    {
        // N = 6, two endpoints (the second nested in the first, or independent): all 4^6 joint sequences.
        var a = new StoppingBoundary(BoundaryMethod.Pocock, 0.3m, 0.1m, Looks.Continuous(6), [2, 2, 3, 3, 3, 4], true, 0, 0, 0);
        var b = new StoppingBoundary(BoundaryMethod.Pocock, 0.1m, 0.1m, Looks.Continuous(6), [1, 2, 2, 2, 2, 3], true, 0, 0, 0);
        double[] rates = [0.3, 0.1];
        var patterns = FamilyWiseError.PatternProbabilities(rates, [-1, parent]);

        var expected = 0.0;
        for (var code = 0; code < 1 << 12; code++)
        {
            double p = 1;
            int sa = 0, sb = 0;
            var crossed = false;
            for (var n = 0; n < 6; n++)
            {
                var pattern = (code >> (2 * n)) & 3;
                p *= patterns[pattern];
                sa += pattern & 1;
                sb += (pattern >> 1) & 1;
                crossed |= sa >= a.Boundaries[n] || sb >= b.Boundaries[n];
            }

            expected += crossed ? p : 0;
        }

        Assert.Equal(expected, FamilyWiseError.Compute([a, b], rates, [-1, parent]), 1e-12);
    }

    [Fact]
    public void Compute_NestedEndpoints_FalseAlarmIsBelowIndependence()
    {
        var a = PocockBoundary.Calibrate(0.20m, 0.05m, Looks.Continuous(40));
        var b = PocockBoundary.Calibrate(0.05m, 0.05m, Looks.Continuous(40));

        var nested = FamilyWiseError.Compute([a, b], [0.20, 0.05], [-1, 0]);
        var independent = FamilyWiseError.Compute([a, b], [0.20, 0.05], [-1, -1]);

        Assert.True(nested < independent);
        Assert.True(nested > Math.Max(a.AchievedAlpha, b.AchievedAlpha));
    }
}
